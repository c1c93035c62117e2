import { existsSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { printTable, type BenchRow } from './table.ts';

/**
 * `npm run bench`: every suite in bench/ that exists, one table, with the machine and the date.
 * Figures are medians and percentiles; these machines are shared, so compare ratios, not absolutes.
 */
const suites: Array<[file: string, fn: string]> = [
  ['turn.ts', 'benchTurn'],
  ['memory.ts', 'benchMemory'],
  ['recall.ts', 'benchRecall'],
  ['vectors.ts', 'benchVectors'],
  ['discord.ts', 'benchDiscord'],
  ['streaming.ts', 'benchStreaming'],
  ['pipeline.ts', 'benchPipeline'],
  ['instagram.ts', 'benchInstagram'],
  ['bundles.ts', 'benchBundles'],
  ['cli.ts', 'benchCli'],
  ['cold-init.ts', 'benchColdInit'],
];

// BENCH_ONLY=cli,turn runs a subset.
const only = process.env.BENCH_ONLY?.split(',');
const rows: BenchRow[] = [];
for (const [file, fn] of suites) {
  if (only && !only.includes(file.replace(/\.ts$/, ''))) continue;
  const url = new URL(`./${file}`, import.meta.url);
  if (!existsSync(url)) continue;
  const suite = (await import(url.href)) as Record<string, () => Promise<BenchRow[]>>;
  rows.push(...(await suite[fn]!()));
}
const cpu = cpus();
console.log(
  `Carrier bench — ${new Date().toISOString()} — ${cpu.length} × ${cpu[0]?.model ?? 'cpu'}, ` +
    `${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
);
printTable(rows);
