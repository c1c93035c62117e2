import { beforeEach, describe, expect, it } from 'vitest';
import { SqlMemoryRepository } from '#core/adapters/store/memories.ts';
import type { NewMemory } from '#core/ports/memory-records.ts';
import { axisVector } from '#test/memory/support/vectors.ts';
import { SQL_ADAPTERS, useContractStores } from './support/contract-stores.ts';

const stores = useContractStores();

/** 24 shared notes, every third about teal; note i's vector is `vector(i)`, written a minute apart. */
const notes = (vector: (i: number) => number[], text = (i: number) => `Note ${i} about teal paint`) =>
  Array.from({ length: 24 }, (_, i): NewMemory => ({
    agentId: 'ada',
    type: 'knowledge',
    text: i % 3 === 0 ? text(i) : `Note ${i} about the garden`,
    embedding: vector(i),
    createdAt: new Date(Date.UTC(2025, 0, 1, 0, i)).toISOString(),
  }));

describe.each(SQL_ADAPTERS)('hybrid fusion contract: %s', (name) => {
  let repo: SqlMemoryRepository;
  beforeEach(async () => {
    await stores().reset();
    repo = new SqlMemoryRepository(stores().adapters[name]);
  });
  const texts = async (embedding?: number[]) =>
    (await repo.search({ agentId: 'ada', query: 'teal', limit: 8, ...(embedding ? { embedding } : {}) })).map(
      (h) => h.text,
    );

  it('keeps the full-text order when no memory stands out of the vector ranking', async () => {
    // Cosines spread evenly from ~1 (note 0, the oldest teal note) down to ~0: an order, but no standout.
    await repo.insert(notes((i) => axisVector(0, i + 1, 0.04 * (i + 1))));
    const fullText = await texts();
    expect(fullText).toHaveLength(8);
    expect(await texts(axisVector(0))).toEqual(fullText);
  });

  it('ranks by the vectors alone when full text finds nothing, standout or not', async () => {
    await repo.insert(notes((i) => axisVector(0, i + 1, 0.04 * (i + 1))));
    const hits = await repo.search({
      agentId: 'ada',
      query: 'lighthouse',
      limit: 4,
      embedding: axisVector(0),
    });
    expect(hits.map((h) => h.text)).toEqual([
      'Note 0 about teal paint',
      'Note 1 about the garden',
      'Note 2 about the garden',
      'Note 3 about teal paint',
    ]);
  });

  it('brings up a memory the vector ranking sets apart, though it shares no word with the question', async () => {
    await repo.insert(notes((i) => (i === 1 ? axisVector(0) : axisVector(i + 1))));
    const hits = await repo.search({ agentId: 'ada', query: 'teal', limit: 10, embedding: axisVector(0) });
    expect(hits.slice(0, 8).every((h) => h.text.includes('teal'))).toBe(true);
    expect(hits[8]).toMatchObject({ text: 'Note 1 about the garden', why: { vectorRank: 1 } });
  });
});
