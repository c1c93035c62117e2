import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCharacter } from '#core/characters/load.ts';

describe('loading a character from a folder that is not there', () => {
  it('names the absolute folder it looked in and says to run from the project root', async () => {
    await expect(loadCharacter('ada', 'docs/characters')).rejects.toThrow(
      `no characters folder at ${resolve('docs/characters')}; run carrier from the project root (the folder holding characters/ and package.json)`,
    );
  });

  it('keeps naming the known characters when the folder is there but empty', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'carrier-empty-characters-'));
    await expect(loadCharacter('ada', dir)).rejects.toThrow(
      `unknown character "ada"; known characters in ${dir}/: none`,
    );
  });
});
