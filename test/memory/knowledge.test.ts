import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { SqlMemoryRepository } from '#core/adapters/store/memories.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Character } from '#core/characters/schema.ts';
import { chunkText, importKnowledge, KnowledgeError } from '#core/memory/knowledge.ts';
import type { MemoryRepository } from '#core/ports/memory-records.ts';
import { FakeEmbedder } from './support/fake-embedder.ts';
import { useMigratedPglite } from '#test/support/pglite.ts';

const db = useMigratedPglite();
let dir: string;
let repo: MemoryRepository;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'carrier-knowledge-'));
  await mkdir(join(dir, 'knowledge'));
  await mkdir(join(dir, 'docs', 'deep'), { recursive: true });
  await writeFile(
    join(dir, 'knowledge', 'boats.md'),
    '# Boats\n\nKit sails a green sloop.\n\nThe sloop is called Heron.',
  );
  await writeFile(join(dir, 'docs', 'tides.txt'), 'Spring tides follow the full moon.');
  await writeFile(join(dir, 'docs', 'deep', 'knots.md'), 'A bowline makes a fixed loop.');
  await writeFile(join(dir, 'docs', 'ignored.json'), '{"not": "knowledge"}');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  await db().exec('truncate memories, embedding_cache');
  repo = new SqlMemoryRepository(db());
});

const kit = (knowledge: Character['knowledge']): Character =>
  ({ id: 'kit', name: 'Kit', source: join(dir, 'kit.json'), knowledge }) as Character;

describe('knowledge import', () => {
  it('imports strings, files and folders of .md/.txt as shared knowledge, idempotently', async () => {
    const character = kit(['Kit was born on a boat.', { path: 'boats.md' }, { directory: 'docs' }]);
    const first = await importKnowledge(character, repo);
    expect(first.sources.map((s) => [s.source, s.inserted])).toEqual([
      ['inline', 1],
      [join('knowledge', 'boats.md'), 1],
      [join('docs', 'deep', 'knots.md'), 1],
      [join('docs', 'tides.txt'), 1],
    ]);
    const again = await importKnowledge(character, repo);
    expect(again.sources.map((s) => [s.inserted, s.kept, s.removed])).toEqual([
      [0, 1, 0],
      [0, 1, 0],
      [0, 1, 0],
      [0, 1, 0],
    ]);
    const hits = await repo.search({ agentId: 'kit', userId: 'anyone', query: 'what is the sloop called?' });
    expect(hits[0]?.text).toContain('The sloop is called Heron.');
    expect(hits[0]?.userId).toBeNull();
  });

  it('removes chunks and sources the character no longer has', async () => {
    await importKnowledge(kit(['Old fact.', { directory: 'docs' }]), repo);
    const result = await importKnowledge(kit(['New fact.']), repo);
    expect(result.sources).toEqual([{ source: 'inline', chunks: 1, inserted: 1, kept: 0, removed: 1 }]);
    expect(result.pruned).toBe(2);
    expect((await repo.list({ agentId: 'kit' })).map((m) => m.text)).toEqual(['New fact.']);
  });

  it('embeds chunks when there is an embedder', async () => {
    const embedder = new FakeEmbedder({ sloop: 4 });
    await importKnowledge(kit([{ path: 'boats.md' }]), repo, { embedder });
    const [chunk] = await repo.list({ agentId: 'kit' });
    expect(chunk?.hasEmbedding).toBe(true);
  });

  it('names the character file and field of a missing path', async () => {
    const error = await importKnowledge(kit([{ path: 'nope.md' }]), repo).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KnowledgeError);
    expect((error as Error).message).toBe(
      `${join(dir, 'kit.json')}: knowledge[0].path: nope.md is not a file in ${dir}/ or ${join(dir, 'knowledge')}/`,
    );
  });
});

describe('chunkText', () => {
  it('keeps paragraphs together up to the size, then splits by sentence and word', () => {
    expect(chunkText('one.\n\ntwo.\n\nthree.', 12)).toEqual(['one.\n\ntwo.', 'three.']);
    expect(chunkText('First sentence here. Second one here.', 22)).toEqual([
      'First sentence here.',
      'Second one here.',
    ]);
    expect(chunkText('abcdefghij klmnopqrst', 12)).toEqual(['abcdefghij', 'klmnopqrst']);
  });
});
