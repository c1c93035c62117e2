import { describe, expect, it } from 'vitest';
import { atMostEvery, STALE_REASON, sweepStaleTurns } from '#core/turns/sweep-stale.ts';
import { turnRequest } from './support/requests.ts';
import { sharedTurnStore } from './support/store.ts';

const shared = sharedTurnStore();

/**
 * A turn claimed `times` times: every earlier claim's lease is already over (lease 0), the last
 * one holds `lastLeaseSeconds`.
 */
async function claimed(times: number, lastLeaseSeconds = 0) {
  const request = turnRequest();
  await shared.turns.createJob(request, { apiKeyId: 'key-1', tenant: 'key-1' });
  for (let i = 1; i <= times; i++)
    await shared.turns.claim(request, { leaseSeconds: i === times ? lastLeaseSeconds : 0 });
  return request.id;
}

describe('sweepStaleTurns', () => {
  it('fails a job whose last attempt ran out of time, and leaves the ones that may still end', async () => {
    const stale = await claimed(3);
    const retryComing = await claimed(1);
    const stillRunning = await claimed(3, 60);

    await sweepStaleTurns(shared.turns, 3);

    expect(await shared.turns.get(stale)).toMatchObject({
      status: 'failed',
      error: STALE_REASON,
      error_code: 'timed_out',
    });
    expect(await shared.turns.get(retryComing)).toMatchObject({ status: 'running', attempts: 1 });
    expect(await shared.turns.get(stillRunning)).toMatchObject({ status: 'running', attempts: 3 });
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
