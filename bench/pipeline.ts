import { loadSettings } from '#core/wiring/settings.ts';
import { startLocalStack } from '#core/local/stack.ts';
import { SqlApiKeyRepository } from '#core/adapters/store/api-keys.ts';
import { EchoModel } from '#test/runner/support/echo-model.ts';
import { openMigratedPgliteThread } from '#test/support/pglite.ts';
import { ms, percentile, sampleMs, type BenchRow } from './table.ts';

const API_RUNS = 400;
const CONVERSATIONS = 50;
const MESSAGES = 10;
const CLIENTS = 10;

/**
 * The pipeline on the local stack, loopback only, with a zero-latency model and PGlite in
 * memory: API latency (POST a message → 202, GET the job) through the HTTP server, the API
 * Gateway event adapter, a stored (hashed) key and the job write; then end-to-end throughput
 * of the whole path (API → queue → runner with store-backed memory → job done).
 */
export async function benchPipeline(): Promise<BenchRow[]> {
  const settings = await loadSettings({ env: { LOG_LEVEL: 'ERROR' }, envFile: '/nonexistent/.env' });
  const rows: BenchRow[] = [];
  // PGlite on its own thread, as `npm start` runs it.
  const store = await openMigratedPgliteThread();
  // Limits out of the way: this measures the path, not the per-key budget.
  const { key } = await new SqlApiKeyRepository(store).create('bench', ['*'], {
    limits: { ratePerMinute: 1_000_000, burst: 100_000, maxInFlight: 100_000 },
  });
  const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
  const model = new EchoModel();

  // 1. API latency with the queue paused, so only the request path is measured.
  const paused = await startLocalStack({
    settings,
    store,
    port: 0,
    model: () => model.resolved(),
    tick: false,
    queue: { concurrency: 0 },
  });
  let n = 0;
  const jobIds: string[] = [];
  const post = await sampleMs(async () => {
    const res = await fetch(`${paused.url}/v1/agents/ada/messages`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ text: `latency ${n++}`, conversationId: `lat-${n % 20}` }),
    });
    jobIds.push(((await res.json()) as { jobId: string }).jobId);
  }, API_RUNS);
  let j = 0;
  const get = await sampleMs(async () => {
    await (await fetch(`${paused.url}/v1/jobs/${jobIds[j++ % jobIds.length]}`, { headers })).json();
  }, API_RUNS);
  await paused.stop();
  rows.push(
    {
      suite: 'pipeline',
      name: 'API POST /messages → 202 (median)',
      value: ms(percentile(post, 50)),
      note: `p99 ${ms(percentile(post, 99))}; loopback HTTP, stored key, job row + enqueue`,
    },
    {
      suite: 'pipeline',
      name: 'API GET /jobs/{id} (median)',
      value: ms(percentile(get, 50)),
      note: `p99 ${ms(percentile(get, 99))}`,
    },
  );

  // 2. Throughput: the stack answers everything queued above plus a fresh burst.
  await store.exec(`delete from turns`);
  const stack = await startLocalStack({
    settings,
    store,
    port: 0,
    model: () => model.resolved(),
    tick: false,
  });
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      for (let c = next++; c < CONVERSATIONS; c = next++) {
        for (let m = 0; m < MESSAGES; m++) {
          await fetch(`${stack.url}/v1/agents/ada/messages`, {
            method: 'POST',
            headers,
            body: JSON.stringify({ text: `c${c} m${m}`, conversationId: `tp-${c}`, userId: `u${c}` }),
          });
        }
      }
    }),
  );
  await stack.queue.idle();
  const seconds = (performance.now() - started) / 1000;
  const [done] = await store.query<{ n: number }>(
    `select count(*)::int as n from turns where status = 'done'`,
  );
  await stack.stop();
  await store.close();
  const total = CONVERSATIONS * MESSAGES;
  rows.push({
    suite: 'pipeline',
    name: 'local stack throughput, zero-latency model',
    value: `${(total / seconds).toFixed(0)} turns/s`,
    note: `${done?.n ?? 0}/${total} done in ${seconds.toFixed(1)} s; ${CONVERSATIONS} conversations × ${MESSAGES}, store-backed memory, PGlite in memory on its own thread`,
  });
  return rows;
}
