import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PgliteStore } from '#core/adapters/pglite-store.ts';
import { TurnRepository } from '#core/jobs/turn-repository.ts';
import { atMostEvery, STALE_REASON, sweepStaleTurns } from '#core/runner/sweep-stale.ts';
import { turnRequest } from './support/requests.ts';
import { migratedStore } from './support/store.ts';

let store: PgliteStore;
let turns: TurnRepository;
beforeAll(async () => {
  store = await migratedStore();
  turns = new TurnRepository(store);
});
afterAll(async () => store.close());

/**
 * A turn claimed `times` times: every earlier claim's lease is already over (lease 0), the last
 * one holds `lastLeaseSeconds`.
 */
async function claimed(times: number, lastLeaseSeconds = 0) {
  const request = turnRequest();
  await turns.createJob(request, 'key-1');
  for (let i = 1; i <= times; i++)
    await turns.claim(request, { leaseSeconds: i === times ? lastLeaseSeconds : 0 });
  return request.id;
}

describe('sweepStaleTurns', () => {
  it('fails a job whose last attempt ran out of time, and leaves the ones that may still end', async () => {
    const stale = await claimed(3);
    const retryComing = await claimed(1);
    const stillRunning = await claimed(3, 60);

    await sweepStaleTurns(turns, 3);

    expect(await turns.get(stale)).toMatchObject({ status: 'failed', error: STALE_REASON });
    expect(await turns.get(retryComing)).toMatchObject({ status: 'running', attempts: 1 });
    expect(await turns.get(stillRunning)).toMatchObject({ status: 'running', attempts: 3 });
  });

  it('runs the sweep at most once per interval however often batches arrive', async () => {
    let clock = 0;
    let runs = 0;
    const sweep = atMostEvery(
      60_000,
      async () => void runs++,
      () => clock,
    );

    await sweep();
    clock = 59_999;
    await sweep();
    clock = 60_000;
    await sweep();

    expect(runs).toBe(2);
  });
});
