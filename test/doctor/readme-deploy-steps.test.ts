import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkSecretKeys } from '#core/doctor/config-checks.ts';

/** README's Deploy steps by number: `4. **Fill the secrets**: …` gives 4 → 'Fill the secrets'. */
async function deploySteps(): Promise<Map<number, string>> {
  const readme = await readFile('README.md', 'utf8');
  const section = readme.slice(
    readme.indexOf('\n## Deploy'),
    readme.indexOf('\n## ', readme.indexOf('\n## Deploy') + 1),
  );
  return new Map([...section.matchAll(/^(\d+)\. \*\*([^*]+)\*\*/gm)].map((m) => [Number(m[1]), m[2]!]));
}

/** Each file under `dir` (recursively) ending in `.ts`. */
async function sources(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith('.ts')).map((e) => join(e.parentPath, e.name));
}

/** Where the code and README point at a Deploy step, and the step each means. */
const MEANT: Record<string, string[]> = {
  'functions/doctor/config-checks.ts': ['Fill the secrets'],
  // The knowledge import is part of migrating the database.
  'README.md': ['Migrate the database'],
};

describe("references to README's Deploy steps", () => {
  it('points a missing secret at the step that fills the secrets', async () => {
    const steps = await deploySteps();
    const [result] = checkSecretKeys([{ name: 'OPENAI_API_KEY', why: 'character ada' }], {});
    const step = Number(/see README, Deploy, step (\d+)$/.exec(result?.fix ?? '')?.[1]);
    expect(steps.get(step)).toBe('Fill the secrets');
  });

  it('name the step they mean, in functions/, bin/ and README', async () => {
    const steps = await deploySteps();
    const found: Record<string, string[]> = {};
    for (const file of [...(await sources('functions')), ...(await sources('bin')), 'README.md']) {
      const text = await readFile(file, 'utf8');
      for (const m of text.matchAll(/Deploy, step (\d+)/g)) {
        (found[file] ??= []).push(steps.get(Number(m[1])) ?? `no step ${m[1]}`);
      }
    }
    expect(found).toEqual(MEANT);
  });
});
