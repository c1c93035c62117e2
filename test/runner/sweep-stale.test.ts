import { describe, expect, it } from 'vitest';
import type { Log } from '#core/ports/log.ts';
import { atMostEvery, STALE_REASON, sweepStaleTurns } from '#core/turns/sweep-stale.ts';
import { InMemoryTurnRepository } from '#test/fakes/in-memory-turns.ts';
import { claimedJob } from './support/requests.ts';

// The sweep over the in-memory turns; test/store/turns-contract.test.ts holds them to the SQL.
function recordingLog() {
  const warnings: Array<[string, Record<string, unknown>[]]> = [];
  const log: Log = {
    info: () => undefined,
    error: () => undefined,
    warn: (m, ...x) => warnings.push([m, x]),
  };
  return { log, warnings };
}

describe('sweepStaleTurns', () => {
  it('fails a job whose last attempt ran out of time, and leaves the ones that may still end', async () => {
    const turns = new InMemoryTurnRepository();
    const stale = await claimedJob(turns, 3);
    const retryComing = await claimedJob(turns, 1);
    const stillRunning = await claimedJob(turns, 3, 60);
    const { log, warnings } = recordingLog();

    expect(await sweepStaleTurns(turns, 3, log)).toBe(1);

    expect(await turns.get(stale)).toMatchObject({
      status: 'failed',
      error: STALE_REASON,
      error_code: 'timed_out',
    });
    expect(await turns.get(retryComing)).toMatchObject({ status: 'running', attempts: 1 });
    expect(await turns.get(stillRunning)).toMatchObject({ status: 'running', attempts: 3 });
    expect(warnings).toEqual([['turn failed: its last attempt ran out of time', [{ turnId: stale }]]]);
  });

  it('logs a failed sweep and leaves it to the next one instead of failing the batch', async () => {
    const turns = new InMemoryTurnRepository();
    turns.sweepStale = async () => Promise.reject(new Error('connection reset'));
    const { log, warnings } = recordingLog();

    expect(await sweepStaleTurns(turns, 3, log)).toBe(0);
    expect(warnings).toEqual([
      ['sweeping stale turns failed; trying again later', [{ error: 'connection reset' }]],
    ]);
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
