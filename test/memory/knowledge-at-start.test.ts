import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqlMemoryRepository } from '#core/adapters/store/memories.ts';
import type { Character } from '#core/characters/schema.ts';
import { describeImport, importAllKnowledge } from '#core/memory/knowledge-at-start.ts';
import { useMigratedPglite as useMigratedStore } from '#test/support/pglite.ts';

const db = useMigratedStore();
let dir: string;
let characters: Record<string, Character>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'carrier-knowledge-start-'));
  await writeFile(
    join(dir, 'harbour.md'),
    'The harbour master is called Ines.\n\nShe rings the bell at noon.',
  );
  const at = (id: string, knowledge: Character['knowledge']) =>
    ({ id, name: id, source: join(dir, `${id}.json`), knowledge }) as Character;
  characters = {
    kit: at('kit', ['Kit was born on a boat.', { path: 'harbour.md' }]),
    lee: at('lee', [{ path: 'missing.md' }]),
    mo: at('mo', undefined),
  };
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const load = async (id: string) => characters[id]!;

describe('importing every character’s knowledge', () => {
  it('imports each character, reports one that cannot be read, and the others still arrive', async () => {
    const repository = new SqlMemoryRepository(db());
    const results = await importAllKnowledge(['kit', 'lee', 'mo'], repository, { load });

    expect(results[0]).toEqual({ id: 'kit', sources: 2, chunks: 2, inserted: 2, kept: 0, removed: 0 });
    expect(describeImport(results[1]!)).toMatch(
      /^lee: knowledge not imported: .*lee\.json: knowledge\[0\]\.path: missing\.md is not a file in /,
    );
    expect(describeImport(results[2]!)).toBe('mo: no knowledge');
    const hits = await repository.search({
      agentId: 'kit',
      userId: 'anyone',
      query: 'who is the harbour master?',
    });
    expect(hits[0]?.text).toContain('Ines');
  });

  it('stores nothing new when run again on unchanged files, as every start does', async () => {
    const repository = new SqlMemoryRepository(db());
    const [again] = await importAllKnowledge(['kit'], repository, { load });
    expect(again).toEqual({ id: 'kit', sources: 2, chunks: 2, inserted: 0, kept: 2, removed: 0 });
    expect(describeImport(again!)).toBe(
      'kit: 2 knowledge chunks from 2 sources (0 new, 2 unchanged, 0 removed)',
    );
    const rows = await repository.list({ agentId: 'kit', type: 'knowledge' });
    expect(rows).toHaveLength(2);
  });
});
