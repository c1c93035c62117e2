/** One line of the bench table. Values are medians/p95 of repeated runs unless the name says otherwise. */
export interface BenchRow {
  suite: string;
  name: string;
  value: string;
  note?: string;
}

export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export const ms = (n: number) => `${n.toFixed(n < 10 ? 2 : 1)} ms`;

/** Runs `fn` `warmup` times unmeasured, then `runs` times; returns the samples in milliseconds. */
export async function sampleMs(fn: () => Promise<unknown>, runs: number, warmup = Math.ceil(runs / 10)) {
  for (let i = 0; i < warmup; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    samples.push(performance.now() - start);
  }
  return samples;
}

export function printTable(rows: BenchRow[]): void {
  const widths = [5, 4, 5].map((w, i) =>
    Math.max(w, ...rows.map((r) => [r.suite, r.name, r.value][i]!.length)),
  );
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  console.log(line(['suite', 'what', 'value']) + ' note');
  console.log(line(widths.map((w) => '-'.repeat(w))));
  for (const r of rows) console.log(line([r.suite, r.name, r.value]) + (r.note ? ` ${r.note}` : ''));
}
