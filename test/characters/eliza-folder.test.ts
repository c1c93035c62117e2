import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanCharacterFolder } from '#core/characters/catalog.ts';
import { characterIdFromFileName } from '#core/characters/character-id.ts';
import { listCharacterIds, loadCharacter, validateCharacters } from '#core/characters/load.ts';
import { servedCharacters } from '#core/discord/served-characters.ts';
import { ConfigError } from '#core/errors.ts';
import { currentCharacter, writeElizaFolder } from './support/eliza-files.ts';

describe('character ids from ElizaOS file names', () => {
  it.each([
    ['trump.character.json', 'trump'],
    ['cosmosHelper.character.json', 'cosmoshelper'],
    ['Anakin Skywalker', 'anakin-skywalker'],
    ['ada.json', 'ada'],
    ['night_owl.JSON', 'night_owl'],
    ['Señor Dalí.character.json', 'senor-dali'],
    ['  Dr. Who?!', 'dr-who'],
  ])('%s gives %s', (name, id) => {
    expect(characterIdFromFileName(name)).toBe(id);
  });

  it('gives no id for a name of punctuation alone', () => {
    expect(characterIdFromFileName('!!!.json')).toBeUndefined();
  });
});

describe('a folder of ElizaOS character files', () => {
  it('loads *.character.json, camelCase and extension-less files under ids from their names', async () => {
    const dir = writeElizaFolder();
    expect(await listCharacterIds(dir)).toEqual(['anakin-skywalker', 'cosmoshelper', 'trump']);
    expect(scanCharacterFolder(dir).ignored.sort()).toEqual(
      ['.DS_Store', 'README.md', 'knowledge', 'notes'].map((n) => join(dir, n)),
    );
    expect(await validateCharacters([dir])).toEqual([]);
    expect(servedCharacters({}, dir)).toEqual(['anakin-skywalker', 'cosmoshelper', 'trump']);
  });

  it('keeps the UUID a current-layout file declares, without using it as the id', async () => {
    const dir = writeElizaFolder();
    const cosmos = await loadCharacter('cosmoshelper', dir);
    expect(cosmos).toMatchObject({
      id: 'cosmoshelper',
      fileId: 'b850bc30-45f8-0041-a00a-83df46d8555d',
      name: 'CosmosHelper',
      source: join(dir, 'cosmosHelper.character.json'),
    });
    expect(cosmos.messageExamples?.[0]?.[1]?.name).toBe('CosmosHelper');
    const anakin = await loadCharacter('anakin-skywalker', dir);
    expect(anakin).toMatchObject({ id: 'anakin-skywalker', name: 'Anakin', clients: ['discord'] });
    expect(anakin.messageExamples?.[0]?.[0]?.user).toBe('{{user1}}');
  });

  it('points at the derived id when asked for the file name', async () => {
    const dir = writeElizaFolder();
    await expect(loadCharacter('cosmosHelper', dir)).rejects.toThrow(
      `unknown character "cosmosHelper" (did you mean "cosmoshelper"?); known characters in ${dir}/: anakin-skywalker, cosmoshelper, trump`,
    );
  });

  it('refuses two files that give one id, naming both', async () => {
    const dir = writeElizaFolder();
    copyFileSync(join(dir, 'cosmosHelper.character.json'), join(dir, 'CosmosHelper.json'));
    const both = `${join(dir, 'cosmosHelper.character.json')}: gives character id "cosmoshelper", as does ${join(dir, 'CosmosHelper.json')}; rename or remove one of them`;
    await expect(listCharacterIds(dir)).rejects.toThrow(ConfigError);
    await expect(loadCharacter('trump', dir)).rejects.toThrow(both);
    expect((await validateCharacters([dir])).map((p) => `${p.file}: ${p.message}`)).toEqual([both]);
  });

  it('refuses two ids that would read the same per-character variables', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'carrier-eliza-'));
    for (const name of ['night-owl.json', 'night_owl.json'])
      writeFileSync(join(dir, name), JSON.stringify(currentCharacter('Owl', 'Hoo.')));
    expect(await validateCharacters([dir])).toEqual([
      {
        file: join(dir, 'night_owl.json'),
        path: '',
        message: `character "night_owl" would read the same settings (DISCORD_NIGHT_OWL_…, INSTAGRAM_NIGHT_OWL_…) as "night-owl" in ${join(dir, 'night-owl.json')}; rename one of them`,
      },
    ]);
  });

  it('names a file whose name gives no id and says how to rename it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'carrier-eliza-'));
    writeFileSync(join(dir, '!!!.json'), JSON.stringify(currentCharacter('X', 'x')));
    expect(await validateCharacters([dir])).toEqual([
      {
        file: join(dir, '!!!.json'),
        path: '',
        message:
          'the file name gives no character id; rename it with letters or digits, like my-character.json',
      },
    ]);
  });
});
