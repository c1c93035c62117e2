import { Bm25Baseline } from './bm25-baseline.ts';
import { seeded } from './memory-data.ts';
import { recallData, type BenchQuestion, type RecallData } from './recall-data.ts';
import { FakeVectors, rowVectors, type FakeKind } from './recall-embedder.ts';
import {
  byKind,
  cpuNow,
  latencyCells,
  recallAt,
  recallCells,
  sample,
  type RecallRun,
} from './recall-score.ts';
import { loadStore, type LoadedStore } from './recall-store.ts';
import type { BenchRow } from './table.ts';

/** The first migration of the new ranking: a store migrated up to it ranks as Carrier did before. */
export const RANKING_MIGRATION = '0036';

export interface RecallSetup {
  data: RecallData;
  questions: BenchQuestion[];
  size: number;
}

/**
 * The recall setup from the environment: BENCH_RECALL_SIZE memories (default 10,000),
 * BENCH_RECALL_QUESTIONS questions (default 400) drawn from BENCH_RECALL_SEED (default 2; the
 * ranking's constants were chosen on seed 1, so the default reports on data they were not fitted to).
 */
export function recallSetup(env = process.env): RecallSetup {
  const size = Number(env.BENCH_RECALL_SIZE ?? 10_000);
  const seed = Number(env.BENCH_RECALL_SEED ?? 2);
  const count = Number(env.BENCH_RECALL_QUESTIONS ?? 400);
  for (const [name, value] of [
    ['BENCH_RECALL_SIZE', size],
    ['BENCH_RECALL_SEED', seed],
    ['BENCH_RECALL_QUESTIONS', count],
  ] as const) {
    if (!Number.isInteger(value) || value < 1)
      throw new Error(`${name} must be a positive integer, got ${value}`);
  }
  const data = recallData({ size, sessions: 12, seed, now: new Date() });
  return { data, questions: sample(data.questions, count, seeded(seed + 1)), size };
}

/** Asks every question of a loaded store through `repo.search`, the memories endpoint's call. */
export async function askStore(
  loaded: LoadedStore,
  setup: RecallSetup,
  scope: 'user' | 'agent',
  embed?: (q: BenchQuestion) => number[],
): Promise<RecallRun> {
  const run: RecallRun = { ranked: [], samplesMs: [], cpuMs: [], questions: setup.questions };
  for (const [i, q] of setup.questions.entries()) {
    const start = performance.now();
    const cpu = cpuNow();
    const hits = await loaded.repo.search({
      agentId: setup.data.agentId,
      query: q.text,
      ...(scope === 'user' ? { userId: q.userId } : { allUsers: true }),
      ...(embed ? { embedding: embed(q) } : {}),
      limit: 25,
    });
    // The first few warm the caches; they still count for recall.
    if (i >= 10) {
      run.samplesMs.push(performance.now() - start);
      run.cpuMs.push(cpuNow() - cpu);
    }
    run.ranked.push(hits.map((h) => loaded.sourceOf.get(h.id) ?? h.id));
  }
  return run;
}

function askBaseline(bm25: Bm25Baseline, setup: RecallSetup, scope: 'user' | 'agent'): RecallRun {
  const run: RecallRun = { ranked: [], samplesMs: [], cpuMs: [], questions: setup.questions };
  for (const q of setup.questions) {
    const start = performance.now();
    run.ranked.push(bm25.search(q.text, { ...(scope === 'user' ? { userId: q.userId } : {}), limit: 25 }));
    run.samplesMs.push(performance.now() - start);
  }
  return run;
}

/**
 * Full-text recall on the bench's conversations: Carrier's offline recall now and before this
 * ranking (the same store migrated up to RANKING_MIGRATION), beside BM25 (MiniSearch) on the
 * same data. Per user (the turn's recall) and agent-wide (the memories endpoint without userId).
 */
export async function benchRecall(setup = recallSetup()): Promise<BenchRow[]> {
  const { data, questions } = setup;
  const bm25 = new Bm25Baseline([
    ...data.turns.map((t) => ({ id: t.sourceId, text: t.text, speaker: t.name ?? 'Ada', userId: t.userId })),
    ...data.knowledge.map((k) => ({ id: k.sourceId, text: k.text, speaker: 'Ada', userId: null })),
  ]);
  const before = await loadStore(data, { before: RANKING_MIGRATION });
  const now = await loadStore(data);
  const rows: BenchRow[] = [];
  const shape = `${data.turns.length + data.knowledge.length} memories, ${questions.length} questions`;
  const fullText: Record<string, RecallRun> = {};
  try {
    for (const scope of ['user', 'agent'] as const) {
      fullText[scope] = await askStore(now, setup, scope);
      const runs: Array<[string, RecallRun]> = [
        ['Carrier full-text', fullText[scope]],
        ['Carrier full-text before', await askStore(before, setup, scope)],
        ['BM25 baseline (MiniSearch)', askBaseline(bm25, setup, scope)],
      ];
      for (const [name, run] of runs)
        rows.push(row(scope, name, run, name === 'Carrier full-text' ? `; ${shape}` : ''));
    }
  } finally {
    await before.store.close();
    await now.store.close();
  }
  for (const kind of ['words', 'meaning'] as const) rows.push(...(await hybrid(setup, kind, fullText)));
  return rows;
}

function row(scope: 'user' | 'agent', name: string, run: RecallRun, more = ''): BenchRow {
  return {
    suite: 'recall',
    name: `${scope === 'user' ? 'per user' : 'agent-wide'}: ${name}, R@5/10/25`,
    value: recallCells(run.questions, run),
    note: `${latencyCells(run)}; R@10 by kind: ${byKind(run.questions, run)}${more}`,
  };
}

/** Hybrid recall with a fake embedder of known vectors, beside full-text alone on the same questions. */
async function hybrid(
  setup: RecallSetup,
  kind: FakeKind,
  fullText: Record<string, RecallRun>,
): Promise<BenchRow[]> {
  const fake = new FakeVectors(kind);
  const loaded = await loadStore(setup.data, { vectorOf: rowVectors(setup.data, fake) });
  const rows: BenchRow[] = [];
  try {
    for (const scope of ['user', 'agent'] as const) {
      const run = await askStore(loaded, setup, scope, (q) => fake.question(q.text, q));
      const delta = [5, 10, 25]
        .map(
          (k) =>
            recallAt(setup.questions, run.ranked, k) - recallAt(setup.questions, fullText[scope]!.ranked, k),
        )
        .map((d) => `${d >= 0 ? '+' : ''}${d.toFixed(2)}`)
        .join(' / ');
      rows.push(row(scope, `Carrier hybrid, fake embedder "${kind}"`, run, `; vs full-text alone ${delta}`));
    }
  } finally {
    await loaded.store.close();
  }
  return rows;
}
