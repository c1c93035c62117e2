import { beforeEach, describe, expect, it } from 'vitest';
import { SqlMemoryRepository } from '#core/adapters/store/memories.ts';
import type { MemoryRepository } from '#core/ports/memory-records.ts';
import type { NewMemory } from '#core/ports/memory-records.ts';
import { axisVector } from '#test/memory/support/vectors.ts';
import { SQL_ADAPTERS, useContractStores } from './support/contract-stores.ts';

const stores = useContractStores();

const message = (userId: string, text: string, extra: Partial<NewMemory> = {}): NewMemory => ({
  agentId: 'ada',
  userId,
  roomId: 'c1',
  type: 'message',
  text,
  content: { role: 'user' },
  ...extra,
});

describe.each(SQL_ADAPTERS)('memory store contract: %s', (name) => {
  let repo: MemoryRepository;
  beforeEach(async () => {
    await stores().reset();
    repo = new SqlMemoryRepository(stores().adapters[name]);
  });

  it('stores a memory once per source id', async () => {
    const first = await repo.insert([message('u1', 'My favourite colour is teal', { sourceId: 't1:user' })]);
    const again = await repo.insert([message('u1', 'My favourite colour is teal', { sourceId: 't1:user' })]);
    expect(first).toEqual([{ id: expect.any(String), sourceId: 't1:user', inserted: true }]);
    expect(again).toEqual([{ id: first[0]!.id, sourceId: 't1:user', inserted: false }]);
    expect(await repo.list({ agentId: 'ada' })).toHaveLength(1);
  });

  it('finds memories by full text with stemming, stop words and any of the words', async () => {
    await repo.insert([
      message('u1', 'My favourite colour is teal'),
      message('u1', 'I walked the dog in the park'),
      message('u1', 'Favourite foods: noodles and colourful salads'),
    ]);
    const hits = await repo.search({ agentId: 'ada', userId: 'u1', query: 'What is my favourite colour?' });
    expect(hits.map((h) => h.text)).toEqual([
      'My favourite colour is teal',
      'Favourite foods: noodles and colourful salads',
    ]);
    expect(hits[0]!.why).toEqual({ fullText: expect.any(Number), fullTextRank: 1 });
    expect(hits[0]!.score).toBeCloseTo(1 / 61);
  });

  it('ranks a memory keeping the question phrase above one with the same words apart', async () => {
    await repo.insert([
      message('u1', 'The colour of my car is not my favourite thing', { createdAt: '2025-01-02T00:00:00Z' }),
      message('u1', 'My favourite colour is teal', { createdAt: '2025-01-01T00:00:00Z' }),
    ]);
    const [best] = await repo.search({ agentId: 'ada', userId: 'u1', query: 'favourite colour' });
    expect(best?.text).toBe('My favourite colour is teal');
  });

  it('never recalls another agent’s memories', async () => {
    await repo.insert([
      { agentId: 'ada', type: 'knowledge', text: 'Teal is a blue-green colour' },
      { agentId: 'bob', type: 'knowledge', text: 'Teal is also a duck' },
      { ...message('u1', 'teal please'), agentId: 'bob' },
    ]);
    const hits = await repo.search({ agentId: 'ada', userId: 'u1', query: 'teal', allUsers: true });
    expect(hits.map((h) => h.text)).toEqual(['Teal is a blue-green colour']);
  });

  it('keeps a user’s memories from other users, and shares knowledge with all', async () => {
    await repo.insert([
      message('u1', 'My secret word is teal'),
      message('u2', 'My secret word is crimson'),
      { agentId: 'ada', type: 'knowledge', text: 'A secret word opens the door' },
    ]);
    const forU2 = await repo.search({ agentId: 'ada', userId: 'u2', query: 'secret word' });
    expect(forU2.map((h) => h.text).sort()).toEqual([
      'A secret word opens the door',
      'My secret word is crimson',
    ]);
    const recalled = await repo.recall({ agentId: 'ada', userId: 'u2', roomId: 'c1', query: 'secret word' });
    expect(JSON.stringify(recalled)).not.toContain('teal');
  });

  it('filters by room, type and time', async () => {
    await repo.insert([
      message('u1', 'teal in room one', { createdAt: '2025-01-01T00:00:00Z' }),
      message('u1', 'teal in room two', { roomId: 'c2', createdAt: '2025-02-01T00:00:00Z' }),
      { agentId: 'ada', userId: 'u1', type: 'fact', text: 'Likes teal', createdAt: '2025-03-01T00:00:00Z' },
    ]);
    const texts = async (q: Parameters<MemoryRepository['search']>[0]) =>
      (await repo.search(q)).map((h) => h.text);
    const base = { agentId: 'ada', userId: 'u1', query: 'teal' };
    expect(await texts({ ...base, roomId: 'c2' })).toEqual(['teal in room two']);
    expect(await texts({ ...base, types: ['fact'] })).toEqual(['Likes teal']);
    expect(
      (await texts({ ...base, since: '2025-01-15T00:00:00Z', until: '2025-02-15T00:00:00Z' })).sort(),
    ).toEqual(['teal in room two']);
  });

  it('fuses vector and full-text ranks and says why each memory came back', async () => {
    await repo.insert([
      {
        agentId: 'ada',
        type: 'knowledge',
        text: 'Teal sits between blue and green',
        embedding: axisVector(0),
      },
      { agentId: 'ada', type: 'knowledge', text: 'Ducks are called teal too', embedding: axisVector(1) },
      {
        agentId: 'ada',
        userId: 'u1',
        type: 'fact',
        text: 'Paints seascapes',
        embedding: axisVector(0, 2, 0.3),
      },
    ]);
    const hits = await repo.search({ agentId: 'ada', userId: 'u1', query: 'teal', embedding: axisVector(0) });
    expect(hits[0]).toMatchObject({
      text: 'Teal sits between blue and green',
      why: { vector: expect.closeTo(1, 5), vectorRank: 1, fullText: expect.any(Number) },
    });
    expect(hits[0]!.score).toBeGreaterThan(hits[1]!.score);
    const seascape = hits.find((h) => h.text === 'Paints seascapes');
    expect(seascape?.why).toEqual({ vector: expect.any(Number), vectorRank: 2 });
  });

  it('puts recent exchanges, current facts and search hits in their sections', async () => {
    await repo.insert([
      message('u1', 'My favourite colour is teal', { createdAt: '2025-01-01T00:00:00Z' }),
      message('u1', 'Teal is lovely.', { content: { role: 'assistant' }, createdAt: '2025-01-01T00:00:01Z' }),
      message('u1', 'Older: my favourite colour was red', {
        roomId: 'c0',
        createdAt: '2024-01-01T00:00:00Z',
      }),
    ]);
    await repo.addFact({
      agentId: 'ada',
      userId: 'u1',
      text: 'Lives in Lyon',
      key: 'home_city',
      value: 'Lyon',
    });
    const r = await repo.recall({ agentId: 'ada', userId: 'u1', roomId: 'c1', query: 'favourite colour?' });
    expect(r.recent.map((m) => [m.role, m.text])).toEqual([
      ['user', 'My favourite colour is teal'],
      ['assistant', 'Teal is lovely.'],
    ]);
    expect(r.facts.map((f) => [f.text, f.why])).toEqual([['Lives in Lyon', { userFact: true }]]);
    expect(r.recalled.map((m) => m.text)).toEqual(['Older: my favourite colour was red']);
  });

  it('adds facts, skips duplicates and supersedes contradicted ones keeping history', async () => {
    const fact = { agentId: 'ada', userId: 'u1', key: 'favourite_colour' };
    const teal = await repo.addFact({ ...fact, text: 'Favourite colour is teal', value: 'teal' });
    const same = await repo.addFact({ ...fact, text: 'Their favourite colour is teal.', value: 'Teal' });
    const red = await repo.addFact({ ...fact, text: 'Favourite colour is red', value: 'red' });
    expect([teal.outcome, same.outcome, red.outcome]).toEqual(['added', 'duplicate', 'superseded']);
    expect(red.superseded).toEqual([teal.id]);
    expect((await repo.facts('ada', 'u1')).map((f) => f.text)).toEqual(['Favourite colour is red']);
    const history = await repo.search({ ...fact, query: 'favourite colour', includeSuperseded: true });
    expect(history.map((h) => h.text).sort()).toEqual([
      'Favourite colour is red',
      'Favourite colour is teal',
    ]);
  });

  it('forgets every memory, cached embedding and finished turn of one user and nothing else', async () => {
    await repo.insert([
      message('u1', 'My favourite colour is teal', { embedding: axisVector(3), embeddingModel: 'm' }),
      message('u2', 'My favourite colour is red'),
      message('u2', 'shared text'),
      message('u1', 'shared text'),
    ]);
    await repo.addFact({ agentId: 'ada', userId: 'u1', text: 'Likes teal' });
    await stores().db.exec(`
      insert into embedding_cache (model, sha256, embedding)
      select distinct 'm', content_sha256, '${JSON.stringify(axisVector(3))}'::vector from memories;
      insert into turns (id, agent_id, user_id, conversation, source, status) values
        ('t1', 'ada', 'u1', 'c1', 'api', 'done'), ('t2', 'ada', 'u2', 'c1', 'api', 'done'),
        ('t3', 'bob', 'u1', 'c1', 'api', 'done'), ('t4', 'ada', 'u1', 'c1', 'api', 'running'),
        ('forget-1', 'ada', 'u1', 'c1', 'discord', 'running');
    `);
    const result = await repo.forgetUser('ada', 'u1', 'forget-1');
    // One finished turn deleted, one in flight scrubbed.
    expect(result).toEqual({ memories: 3, embeddings: 2, turns: 2 });
    const left = await stores().db.query<{ n: number }>(
      `select count(*)::int as n from memories where user_id = 'u1'`,
    );
    expect(Number(left[0]!.n)).toBe(0);
    // Kept: the forget request itself and a turn still in flight (scrubbed; its redelivery must stay harmless).
    const turns = await stores().db.query<{ id: string }>(
      `select id from turns where user_id = 'u1' and agent_id = 'ada' order by id`,
    );
    expect(turns.map((t) => t.id)).toEqual(['forget-1', 't4']);
    expect((await repo.list({ agentId: 'ada', userId: 'u2' })).map((m) => m.text).sort()).toEqual([
      'My favourite colour is red',
      'shared text',
    ]);
    const cache = await stores().db.query<{ n: number }>('select count(*)::int as n from embedding_cache');
    expect(cache[0]!.n).toBe(2);
  });

  it('imports a knowledge source idempotently and drops chunks no longer in it', async () => {
    const chunk = (text: string, i: number): NewMemory => ({
      agentId: 'ada',
      type: 'knowledge',
      text,
      sourceId: `knowledge:ada:notes.md:${i}:${text}`,
      metadata: { source: 'notes.md' },
    });
    expect(await repo.replaceSource('ada', 'notes.md', ['a', 'b'].map(chunk))).toEqual({
      inserted: 2,
      kept: 0,
      removed: 0,
    });
    expect(await repo.replaceSource('ada', 'notes.md', ['a', 'b'].map(chunk))).toEqual({
      inserted: 0,
      kept: 2,
      removed: 0,
    });
    expect(await repo.replaceSource('ada', 'notes.md', ['a', 'c'].map(chunk))).toEqual({
      inserted: 1,
      kept: 1,
      removed: 1,
    });
  });

  it('counts memories per agent and type', async () => {
    await repo.insert([
      message('u1', 'one'),
      message('u2', 'two'),
      { agentId: 'ada', type: 'lore', text: 'old' },
    ]);
    const stats = await repo.stats('ada');
    expect(stats.map((s) => [s.type, s.memories, s.users])).toEqual([
      ['lore', 1, 0],
      ['message', 2, 2],
    ]);
  });

  it('fills in embeddings after the fact', async () => {
    const [row] = await repo.insert([message('u1', 'teal')]);
    expect(await repo.setEmbeddings('m', [{ id: row!.id, embedding: axisVector(5) }])).toBe(1);
    const hits = await repo.search({
      agentId: 'ada',
      userId: 'u1',
      query: 'nothing matches',
      embedding: axisVector(5),
    });
    expect(hits.map((h) => h.text)).toEqual(['teal']);
  });

  it('reports a violated constraint with its SQLSTATE', async () => {
    const bad = { ...message('u1', 'x'), type: 'diary' as never };
    await expect(repo.insert([bad])).rejects.toMatchObject({ code: '23514' });
  });
});
