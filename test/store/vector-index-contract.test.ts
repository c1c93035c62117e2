import { beforeAll, describe, expect, it } from 'vitest';
import { SqlMemoryRepository } from '#core/adapters/store/memories.ts';
import { refreshVectorIndex } from '#core/adapters/store/vector-index.ts';
import type { NewMemory } from '#core/ports/memory-records.ts';
import { SqlVector } from '#core/ports/sql-vector.ts';
import { DIMENSIONS } from '#test/memory/support/vectors.ts';
import { SQL_ADAPTERS, useContractStores } from './support/contract-stores.ts';

const stores = useContractStores();

/** A seeded generator (mulberry32): the same vectors on every run. */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = seeded(71);
const noise = () => Array.from({ length: DIMENSIONS }, () => random() * 2 - 1);
const unit = (v: number[]) => {
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
};
/** Texts about 20 subjects: each vector near its subject's direction, as an embedder's are. */
const topics = Array.from({ length: 20 }, () => unit(noise()));
const near = () => {
  const topic = topics[Math.floor(random() * topics.length)]!;
  const n = unit(noise());
  return unit(topic.map((x, i) => x + 0.9 * n[i]!));
};

/** ada: 1,800 messages of 30 users in 3 tenants and 200 shared notes; bob: 120 messages. */
const rows: NewMemory[] = [
  ...Array.from({ length: 1_800 }, (_, i): NewMemory => ({
    agentId: 'ada',
    userId: `api:t${i % 3}:user${i % 30}`,
    roomId: `room${i % 30}`,
    type: 'message',
    text: `ada message ${i}`,
    embedding: near(),
  })),
  ...Array.from({ length: 200 }, (_, i): NewMemory => ({
    agentId: 'ada',
    type: 'knowledge',
    text: `ada note ${i}`,
    embedding: near(),
  })),
  ...Array.from({ length: 120 }, (_, i): NewMemory => ({
    agentId: 'bob',
    userId: `user${i % 4}`,
    type: 'message',
    text: `bob message ${i}`,
    embedding: near(),
  })),
];
const questions = Array.from({ length: 12 }, near);

/** The exact nearest `limit` of an agent's memories by cosine, read past any index. */
async function exact(agentId: string, q: number[], limit = 10, where = 'true'): Promise<string[]> {
  const found = await stores().db.query<{ text: string }>(
    `select content->>'text' as text from memories m where agent_id = $1 and embedding is not null and ${where}
     order by (embedding <=> $2) + 0 limit ${limit}`,
    [agentId, new SqlVector(q)],
  );
  return found.map((r) => r.text);
}

describe('agent-wide vector search through the index over every vector (0071)', () => {
  beforeAll(async () => {
    await stores().reset();
    const repo = new SqlMemoryRepository(stores().db);
    for (let i = 0; i < rows.length; i += 500) await repo.insert(rows.slice(i, i + 500));
  }, 60_000);

  it('is built once enough rows carry a vector, and again only when they have doubled or it is gone', async () => {
    const store = stores().adapters.supabase;
    await stores().db.exec('drop index if exists memories_embedding_bits; delete from memory_vector_index');
    expect(await refreshVectorIndex(store, { minRows: 10_000 })).toEqual({ built: false, rows: 0, lists: 0 });
    expect(await refreshVectorIndex(store, { minRows: 1_000 })).toEqual({
      built: true,
      rows: 2_120,
      lists: 46,
    });
    expect(await refreshVectorIndex(store, { minRows: 1_000 })).toEqual({
      built: false,
      rows: 2_120,
      lists: 46,
    });
    await stores().db.exec('drop index memories_embedding_bits');
    expect(await refreshVectorIndex(store, { minRows: 1_000 })).toMatchObject({ built: true, rows: 2_120 });
    const [index] = await stores().db.query<{ indexdef: string }>(
      `select indexdef from pg_indexes where indexname = 'memories_embedding_bits'`,
    );
    expect(index?.indexdef).toContain('USING ivfflat');
    // memory_vector_nearest's candidate query, planned as it plans it: through the index, the
    // statistics the build gathered telling the planner the table is no longer empty.
    await stores().db.exec('set ivfflat.probes = 10');
    const plan = await stores().db.query<{ 'QUERY PLAN': string }>(
      `explain select m.id, m.embedding <=> $1 as d from memories m
       where m.agent_id = 'ada' and m.embedding is not null
         and memory_visible(m, null, null, null, null, false, null)
       order by binary_quantize(m.embedding)::bit(1536) <~> binary_quantize($1) limit 300`,
      [new SqlVector(questions[0]!)],
    );
    await stores().db.exec('reset ivfflat.probes');
    expect(plan.map((r) => r['QUERY PLAN']).join('\n')).toContain('Index Scan using memories_embedding_bits');
  });

  it.each(SQL_ADAPTERS)(
    'finds the exact nearest of one agent and never another agent’s (%s)',
    async (name) => {
      await refreshVectorIndex(stores().db, { minRows: 1_000 });
      const repo = new SqlMemoryRepository(stores().adapters[name]);
      let found = 0;
      for (const q of questions) {
        const hits = await repo.search({
          agentId: 'ada',
          query: '',
          allUsers: true,
          embedding: q,
          limit: 10,
        });
        expect(hits.every((h) => h.text.startsWith('ada '))).toBe(true);
        const top = new Set(hits.map((h) => h.text));
        found += (await exact('ada', q)).filter((t) => top.has(t)).length;
      }
      expect(found / (questions.length * 10)).toBeGreaterThanOrEqual(0.95);

      // bob's 120 rows share the lists with ada's 2,000: too few there, so an exact scan of his.
      for (const q of questions.slice(0, 4)) {
        const hits = await repo.search({
          agentId: 'bob',
          query: '',
          allUsers: true,
          embedding: q,
          limit: 10,
        });
        expect(hits.map((h) => h.text)).toEqual(await exact('bob', q));
      }
    },
    60_000,
  );

  it('keeps a search’s filters on the indexed path and the exact one: room, type and superseded', async () => {
    await refreshVectorIndex(stores().db, { minRows: 1_000 });
    const repo = new SqlMemoryRepository(stores().db);
    const q = questions[0]!;
    const inRoom = await repo.search({
      agentId: 'ada',
      query: '',
      allUsers: true,
      embedding: q,
      roomId: 'room7',
      limit: 10,
    });
    expect(inRoom.map((h) => h.text)).toEqual(await exact('ada', q, 10, `room_id = 'room7'`));
    // 1,800 messages: enough in the lists searched for the index to answer, filtered.
    const messages = await repo.search({
      agentId: 'ada',
      query: '',
      allUsers: true,
      embedding: q,
      types: ['message'],
      limit: 10,
    });
    expect(messages.every((h) => h.type === 'message')).toBe(true);
    const exactMessages = await exact('ada', q, 10, `type = 'message'`);
    expect(messages.filter((h) => exactMessages.includes(h.text)).length).toBeGreaterThanOrEqual(9);

    const [nearest] = await exact('ada', q, 1);
    await stores().db.query(`update memories set superseded_by = id where content->>'text' = $1`, [nearest]);
    const hits = await repo.search({ agentId: 'ada', query: '', allUsers: true, embedding: q, limit: 10 });
    expect(hits.map((h) => h.text)).not.toContain(nearest);
    await stores().db.query(`update memories set superseded_by = null where content->>'text' = $1`, [
      nearest,
    ]);
  });
});
