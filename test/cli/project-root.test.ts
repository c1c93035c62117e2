import { mkdirSync, mkdtempSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkCharacters } from '#core/doctor/file-checks.ts';
import { formatResult } from '#core/doctor/report.ts';
import { runCli } from './run-cli.ts';

/** A folder with no characters/ in it, as a subfolder of the project is. */
function subfolder(): string {
  const dir = join(realpathSync(mkdtempSync(join(tmpdir(), 'carrier-subfolder-'))), 'docs');
  mkdirSync(dir);
  return dir;
}

const RUN_FROM_ROOT = 'run carrier from the project root (the folder holding characters/ and package.json)';

describe('carrier run outside the project root', () => {
  it('says which characters folder chat looked for and where to run it', async () => {
    const cwd = subfolder();
    const result = await runCli(['chat', 'ada', '--message', 'hi'], {}, undefined, { cwd });
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(result.stderr.trim().split('\n').at(-1)).toBe(
      `carrier: no characters folder at ${cwd}/characters; ${RUN_FROM_ROOT}`,
    );
  });

  it('says the same from characters validate, and how to name the folder instead', async () => {
    const cwd = subfolder();
    const result = await runCli(['characters', 'validate'], {}, undefined, { cwd, fresh: true });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe(
      `characters: no characters folder at ${cwd}/characters; ${RUN_FROM_ROOT}, or name the folder: carrier characters validate path/to/characters\n`,
    );
  });
});

describe("carrier doctor's characters check outside the project root", () => {
  it('names the folder it looked for instead of "no character files"', async () => {
    const cwd = subfolder();
    const missing = join(cwd, 'characters');
    const { results } = await checkCharacters(missing, undefined);
    expect(results.map(formatResult)).toEqual([
      `FAIL  characters: no characters folder at ${missing}; fix: run \`npx carrier doctor\` from the project root (the folder holding characters/ and package.json)`,
    ]);
  });
});
