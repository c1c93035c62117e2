import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withoutProviderKeys } from '../test/cli/run-cli.ts';
import { percentile, type BenchRow } from './table.ts';

/**
 * The first five minutes, in fresh processes as a user runs them: `carrier --help`, `characters
 * validate`, `chat -m hi` (offline, data folder already there) and `npm start` until it prints its
 * URL. The figures before the CLI loaded commands lazily and ran them compiled are beside them
 * (measured on an idle 2-core machine).
 */
export async function benchCli(): Promise<BenchRow[]> {
  const dataDir = await mkdtemp(join(tmpdir(), 'carrier-bench-cli-'));
  const env = { ...withoutProviderKeys(), CARRIER_DATA_DIR: dataDir, CARRIER_ENV_FILE: '/dev/null' };
  const runs = Number(process.env.BENCH_CLI_RUNS ?? 5);
  await run(['chat', 'ada', '-m', 'hi'], env); // makes the data folder and the compiled commands
  const rows: BenchRow[] = [];
  const cases: Array<{ name: string; args: string[]; budget: number; before: string; until?: RegExp }> = [
    { name: 'carrier --help', args: ['--help'], budget: 300, before: '2.9–3.7 s' },
    { name: 'carrier characters validate', args: ['characters', 'validate'], budget: 1000, before: '~3 s' },
    {
      name: 'carrier chat ada -m hi (offline)',
      args: ['chat', 'ada', '-m', 'hi'],
      budget: 2000,
      before: '10.8 s',
    },
    {
      name: 'npm start until ready',
      args: ['dev', '--port', '3979'],
      budget: 4000,
      before: '8.3 s',
      until: /http:\/\/127\.0\.0\.1:3979/,
    },
  ];
  for (const c of cases) {
    const samples: number[] = [];
    for (let i = 0; i < runs; i++) samples.push(await run(c.args, env, c.until));
    const median = percentile(samples, 50);
    rows.push({
      suite: 'cli',
      name: c.name,
      value: `${Math.round(median)} ms`,
      note: `median of ${runs}; budget ${c.budget} ms ${median <= c.budget ? 'met' : 'NOT met'}; before: ${c.before}`,
    });
  }
  rows.push(await chatThroughStack(env, runs));
  return rows;
}

/** `carrier chat -m hi` while `npm start` holds the data folder: it answers through the stack. */
async function chatThroughStack(env: Record<string, string>, runs: number): Promise<BenchRow> {
  const stack = spawn(process.execPath, ['bin/carrier.mjs', 'dev', '--port', '3978'], {
    env,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  let out = '';
  await new Promise<void>((resolve, reject) => {
    stack.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('http://127.0.0.1:3978')) resolve();
    });
    stack.once('exit', (code) => reject(new Error(`carrier dev exited ${code} before it was ready`)));
  });
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) samples.push(await run(['chat', 'ada', '-m', 'hi'], env));
  await new Promise((resolve) => {
    stack.once('exit', resolve);
    stack.kill('SIGINT');
  });
  const median = percentile(samples, 50);
  return {
    suite: 'cli',
    name: 'carrier chat ada -m hi, npm start running',
    value: `${Math.round(median)} ms`,
    note: `median of ${runs}; budget 2000 ms ${median <= 2000 ? 'met' : 'NOT met'}; through the stack's socket`,
  };
}

/** Milliseconds until the process exits, or until its stdout matches `until` (then it is stopped). */
function run(args: string[], env: Record<string, string>, until?: RegExp): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['bin/carrier.mjs', ...args], {
      env,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let out = '';
    let elapsed: number | undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (until && elapsed === undefined && until.test(out)) {
        elapsed = performance.now() - started;
        child.kill('SIGINT');
      }
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (until && elapsed === undefined)
        reject(new Error(`carrier ${args.join(' ')} exited ${code} before it was ready`));
      else resolve(elapsed ?? performance.now() - started);
    });
  });
}
