import type { BenchQuestion } from './recall-data.ts';
import { ms, percentile } from './table.ts';

export const DEPTHS = [5, 10, 25] as const;

/** What one system returned for each question (ids best first) and how long each took. */
export interface RecallRun {
  ranked: string[][];
  samplesMs: number[];
  /**
   * This process's CPU time per question (PGlite runs in it): on a shared machine the wall
   * clock also counts the time other processes held the cores, and this does not.
   */
  cpuMs: number[];
  /** The questions asked, in the order of `ranked`. */
  questions: BenchQuestion[];
}

/** Share of the question's evidence turns found in the top `k`, averaged over questions. */
export function recallAt(questions: BenchQuestion[], ranked: string[][], k: number): number {
  let sum = 0;
  questions.forEach((q, i) => {
    const top = new Set(ranked[i]!.slice(0, k));
    sum += q.evidence.filter((id) => top.has(id)).length / q.evidence.length;
  });
  return questions.length ? sum / questions.length : 0;
}

/** "0.71 / 0.80 / 0.88": recall at 5, 10 and 25. */
export function recallCells(questions: BenchQuestion[], run: RecallRun): string {
  return DEPTHS.map((k) => recallAt(questions, run.ranked, k).toFixed(2)).join(' / ');
}

/** Milliseconds of CPU this process has used. */
export function cpuNow(): number {
  const used = process.cpuUsage();
  return (used.user + used.system) / 1000;
}

export function latencyCells(run: RecallRun): string {
  const cpu = run.cpuMs.length
    ? ` (CPU p50 ${ms(percentile(run.cpuMs, 50))}, p95 ${ms(percentile(run.cpuMs, 95))})`
    : '';
  return `p50 ${ms(percentile(run.samplesMs, 50))}, p95 ${ms(percentile(run.samplesMs, 95))}${cpu}`;
}

/** Recall at 10 by kind of question: where a system wins or loses. */
export function byKind(questions: BenchQuestion[], run: RecallRun): string {
  const kinds = [...new Set(questions.map((q) => q.kind))].sort();
  return kinds
    .map((kind) => {
      const idx = questions.flatMap((q, i) => (q.kind === kind ? [i] : []));
      const r = recallAt(
        idx.map((i) => questions[i]!),
        idx.map((i) => run.ranked[i]!),
        10,
      );
      return `${kind} ${r.toFixed(2)} (${idx.length})`;
    })
    .join(', ');
}

/** `n` of `items`, the same ones for a seed. */
export function sample<T>(items: T[], n: number, random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy.slice(0, n);
}
