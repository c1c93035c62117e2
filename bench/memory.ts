import { mkdtemp, rm } from 'node:fs/promises';
import { SqlMemoryRepository } from '#core/adapters/store/memories.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PgliteStore } from '#core/adapters/store/pglite.ts';
import { CachedEmbedder } from '#core/adapters/embedder/cached-embedder.ts';
import type { Embedder } from '#core/ports/embedder.ts';
import { patternFacts } from '#core/memory/fact-patterns.ts';
import type { NewMemory } from '#core/ports/memory-records.ts';
import { StoreMemory } from '#core/memory/store-memory.ts';
import type { SqlStore } from '#core/ports/sql.ts';
import { SqlVector } from '#core/ports/sql-vector.ts';
import { migrate } from '#core/adapters/store/migrate.ts';
import {
  copyMemories,
  DIMENSIONS,
  memories,
  seeded,
  sentence,
  unitVector,
  vocabulary,
  zipfWord,
} from './memory-data.ts';
import { ms, percentile, sampleMs, type BenchRow } from './table.ts';

/**
 * Memory figures: recall latency (the turn's one `memory_recall` call) on a file-backed PGlite
 * at 10k and 100k memories, full-text only and with 1536-d vectors + HNSW; insert throughput
 * of `memory_insert`; database round trips per turn. BENCH_MEMORY_SIZES=10000 runs the small
 * size only.
 */
export async function benchMemory(): Promise<BenchRow[]> {
  const sizes = (process.env.BENCH_MEMORY_SIZES ?? '10000,100000').split(',').map(Number);
  const rows: BenchRow[] = [];
  for (const vectors of [false, true]) {
    for (const size of sizes) rows.push(...(await recall(size, vectors)));
  }
  rows.push(...(await inserts()), ...(await roundTrips()));
  return rows;
}

async function recall(total: number, vectors: boolean): Promise<BenchRow[]> {
  const dir = await mkdtemp(join(tmpdir(), 'carrier-bench-memory-'));
  const store = await PgliteStore.open(join(dir, 'pglite'));
  try {
    await migrate(store);
    // Build HNSW once after the load, as an import would, rather than row by row.
    await store.exec('drop index memories_shared_embedding');
    const random = seeded(total + (vectors ? 1 : 0));
    const words = vocabulary(5_000, random);
    const users = Math.max(10, Math.round(total / 100));
    const loadStart = performance.now();
    await copyMemories(store, memories({ total, users, sharedShare: 0.1, words, random, vectors }));
    const loadMs = performance.now() - loadStart;
    const hnswStart = performance.now();
    await store.exec(
      'create index memories_shared_embedding on memories using hnsw (embedding vector_cosine_ops) where user_id is null',
    );
    const hnswMs = performance.now() - hnswStart;
    await store.exec('analyze memories');

    const runs = total > 50_000 ? 100 : 200;
    const samples = await sampleMs(
      () => {
        const user = `user${Math.floor(random() * users)}`;
        return store.rpc('memory_recall', {
          p_agent_id: 'bench',
          p_user_id: user,
          p_room_id: `room-${user}`,
          p_query: `what did I say about ${zipfWord(words, random)} and ${zipfWord(words, random)} ${zipfWord(words, random)}?`,
          ...(vectors ? { p_embedding: new SqlVector([...unitVector(random)]) } : {}),
        });
      },
      runs,
      20,
    );
    const label = `${(total / 1000).toFixed(0)}k, ${vectors ? '1536-d + HNSW' : 'full-text'}`;
    const shape = `${users} users, 10% shared knowledge${vectors ? `, HNSW over shared rows built in ${(hnswMs / 1000).toFixed(1)} s` : ''}`;
    return [
      {
        suite: 'memory',
        name: `recall ${label}, median`,
        value: ms(percentile(samples, 50)),
        note: `${runs} recalls; ${shape}`,
      },
      { suite: 'memory', name: `recall ${label}, p95`, value: ms(percentile(samples, 95)) },
      {
        suite: 'memory',
        name: `bulk load ${label}`,
        value: `${Math.round(total / (loadMs / 1000))} rows/s`,
        note: 'binary COPY, 1,000 rows a batch',
      },
    ];
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** memory_insert, the runtime's write path, in 500-row calls. */
async function inserts(): Promise<BenchRow[]> {
  const store = await PgliteStore.open();
  try {
    await migrate(store);
    const repo = new SqlMemoryRepository(store);
    const random = seeded(7);
    const words = vocabulary(5_000, random);
    const rowsOf = (n: number, vectors: boolean): NewMemory[] =>
      Array.from({ length: n }, (_, i) => ({
        agentId: 'bench',
        userId: `user${i % 50}`,
        roomId: 'room',
        type: 'message',
        text: sentence(words, random),
        ...(vectors ? { embedding: [...unitVector(random)], embeddingModel: 'bench' } : {}),
      }));
    const rate = async (n: number, vectors: boolean) => {
      const rows = rowsOf(n, vectors);
      const start = performance.now();
      for (let i = 0; i < n; i += 500) await repo.insert(rows.slice(i, i + 500));
      return Math.round(n / ((performance.now() - start) / 1000));
    };
    return [
      {
        suite: 'memory',
        name: 'insert, text only',
        value: `${await rate(5_000, false)} rows/s`,
        note: 'memory_insert, 500 a call',
      },
      {
        suite: 'memory',
        name: 'insert, with 1536-d vectors',
        value: `${await rate(1_000, true)} rows/s`,
        note: 'vectors as one binary vector[] argument (bench/vectors.ts compares with text)',
      },
    ];
  } finally {
    await store.close();
  }
}

/** Counts store calls by phase for one turn of StoreMemory, with and without an embedder. */
async function roundTrips(): Promise<BenchRow[]> {
  const store = await PgliteStore.open();
  try {
    await migrate(store);
    const counting = new CountingStore(store);
    const random = seeded(3);
    const embedder: Embedder = {
      model: 'bench',
      dimensions: DIMENSIONS,
      embed: async (texts) => texts.map(() => [...unitVector(random)]),
    };
    const phases = async (withEmbedder: boolean, turnId: string) => {
      const memory = new StoreMemory(new SqlMemoryRepository(counting), {
        ...(withEmbedder ? { embedder: new CachedEmbedder(embedder, counting) } : {}),
        extractFacts: async (t) => patternFacts(t.userText, t.userName),
        reflectInBackground: false,
      });
      const count = async (fn: () => Promise<unknown>) => {
        const before = counting.calls;
        await fn();
        return counting.calls - before;
      };
      const text = 'My favourite colour is teal';
      const recall = await count(() => memory.recall({ agentId: 'bench', userId: 'u1', roomId: 'c1', text }));
      const at = new Date().toISOString();
      const turn = {
        turnId,
        agentId: 'bench',
        userId: 'u1',
        roomId: 'c1',
        userText: text,
        replyText: 'Teal!',
        at,
      };
      const after = await count(() => memory.remember(turn));
      return `${recall} before the reply, ${after} after it`;
    };
    return [
      {
        suite: 'memory',
        name: 'DB round trips per turn, full-text',
        value: await phases(false, 't1'),
        note: 'after: store the exchange, read facts, add the 1 fact found',
      },
      {
        suite: 'memory',
        name: 'DB round trips per turn, with embedder',
        value: await phases(true, 't2'),
        note: 'texts never seen: each embedding adds a cache lookup and a cache write; 1 before the reply once cached',
      },
    ];
  } finally {
    await store.close();
  }
}

class CountingStore implements SqlStore {
  calls = 0;
  constructor(private readonly inner: SqlStore) {}
  rpc<Row>(fn: string, args?: Record<string, unknown>): Promise<Row[]> {
    this.calls++;
    return this.inner.rpc<Row>(fn, args);
  }
  async close(): Promise<void> {}
}
