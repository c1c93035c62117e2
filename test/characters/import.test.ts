import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyImport, describeStep, planImport } from '#core/characters/import.ts';
import { listCharacterIds } from '#core/characters/load.ts';
import { formatProblem } from '#core/errors.ts';
import { currentCharacter, writeElizaFolder } from './support/eliza-files.ts';

const emptyDir = () => mkdtempSync(join(tmpdir(), 'carrier-import-to-'));

describe('importing character files', () => {
  it('copies each file as <id>.json, byte for byte, and says what it normalised', async () => {
    const from = writeElizaFolder();
    const to = emptyDir();
    const plan = await planImport([from], { to });
    expect(plan.problems).toEqual([]);
    await applyImport(plan);
    expect(plan.steps.map(describeStep)).toEqual([
      `${join(from, 'Anakin Skywalker')} → ${join(to, 'anakin-skywalker.json')} (id "anakin-skywalker": lower-cased, other characters as -)`,
      `${join(from, 'cosmosHelper.character.json')} → ${join(to, 'cosmoshelper.json')} (id "cosmoshelper": dropped .character.json, lower-cased; its own id b850bc30-45f8-0041-a00a-83df46d8555d kept, not used)`,
      `${join(from, 'trump.character.json')} → ${join(to, 'trump.json')} (id "trump": dropped .character.json)`,
    ]);
    expect(await listCharacterIds(to)).toEqual(['anakin-skywalker', 'cosmoshelper', 'trump']);
    expect(readFileSync(join(to, 'cosmoshelper.json'))).toEqual(
      readFileSync(join(from, 'cosmosHelper.character.json')),
    );
  });

  it('does nothing the second time, and refuses different content under an id already there', async () => {
    const from = writeElizaFolder();
    const to = emptyDir();
    await applyImport(await planImport([from], { to }));
    const again = await planImport([join(from, 'trump.character.json')], { to });
    expect(again.steps.map(describeStep)).toEqual([
      `${join(from, 'trump.character.json')}: already in ${join(to, 'trump.json')} as "trump"`,
    ]);
    const other = mkdtempSync(join(tmpdir(), 'carrier-import-'));
    writeFileSync(join(other, 'Trump.json'), JSON.stringify(currentCharacter('Trump', 'Changed.')));
    const clash = await planImport([other], { to });
    expect(clash.problems.map(formatProblem)).toEqual([
      `${join(other, 'Trump.json')}: ${join(to, 'trump.json')} already holds character "trump"; pass --force to replace it, or rename the file you import`,
    ]);
    await expect(applyImport(clash)).rejects.toThrow('already holds character "trump"');
    const forced = await planImport([other], { to, force: true });
    await applyImport(forced);
    expect(JSON.parse(readFileSync(join(to, 'trump.json'), 'utf8')).name).toBe('Trump');
  });

  it('replaces a differently named file holding the same id when forced, leaving one file', async () => {
    const to = emptyDir();
    writeFileSync(join(to, 'CosmosHelper.json'), JSON.stringify(currentCharacter('Old', 'old')));
    const plan = await planImport([join(writeElizaFolder(), 'cosmosHelper.character.json')], {
      to,
      force: true,
    });
    await applyImport(plan);
    expect(existsSync(join(to, 'CosmosHelper.json'))).toBe(false);
    expect(await listCharacterIds(to)).toEqual(['cosmoshelper']);
  });

  it('imports nothing when any file is wrong or two give one id, naming the files', async () => {
    const a = mkdtempSync(join(tmpdir(), 'carrier-import-'));
    const b = mkdtempSync(join(tmpdir(), 'carrier-import-'));
    writeFileSync(join(a, 'sage.character.json'), JSON.stringify(currentCharacter('Sage', 'Hm.')));
    writeFileSync(join(b, 'Sage.json'), JSON.stringify(currentCharacter('Sage', 'Hm?')));
    writeFileSync(join(b, 'broken.json'), JSON.stringify({ name: 'Broken', bio: 3 }));
    const to = emptyDir();
    const plan = await planImport([a, b], { to });
    expect(plan.problems.map(formatProblem)).toEqual([
      `${join(b, 'broken.json')}: bio: does not match any accepted shape`,
      `${join(b, 'Sage.json')}: gives character id "sage", as does ${join(a, 'sage.character.json')}; rename or remove one of them`,
    ]);
    await expect(applyImport(plan)).rejects.toThrow();
    expect(await listCharacterIds(to)).toEqual([]);
  });

  it('names a missing path and a folder with no character files', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'carrier-import-'));
    mkdirSync(join(empty, 'docs'));
    writeFileSync(join(empty, 'README.md'), '# hi\n');
    expect((await planImport([empty], { to: emptyDir() })).problems.map(formatProblem)).toEqual([
      `${empty}: holds no character files (*.character.json, *.json, or files without an extension that hold JSON)`,
    ]);
    expect((await planImport(['no/such/file.json'], { to: emptyDir() })).problems.map(formatProblem)).toEqual(
      ['no/such/file.json: not found; give a character file or a folder of them'],
    );
  });
});
