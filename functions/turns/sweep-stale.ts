import type { TurnRepository } from '../ports/turns.ts';
import type { Log } from '../ports/log.ts';

export const STALE_REASON = 'the last attempt ran out of time and no retry is left';

/**
 * Fails the turns whose last attempt outlived its lease (the invocation timed out or crashed),
 * so their API jobs end as `failed` instead of reading `running` forever. Never throws: a
 * failed sweep is logged and tried again next time.
 *
 * @example
 * await sweepStaleTurns(deps.turns, deps.maxReceiveCount, deps.log); // 0
 */
export async function sweepStaleTurns(
  turns: TurnRepository,
  maxReceiveCount: number,
  log?: Log,
): Promise<number> {
  try {
    const swept = await turns.sweepStale(maxReceiveCount, { error: STALE_REASON, code: 'timed_out' });
    for (const row of swept) log?.warn('turn failed: its last attempt ran out of time', { turnId: row.id });
    return swept.length;
  } catch (error) {
    log?.warn('sweeping stale turns failed; trying again later', {
      error: error instanceof Error ? error.message : String(error),
    });
    return 0;
  }
}

/**
 * Runs `task` when called, at most once per `everyMs`: the runner handler calls it on every
 * batch, and only the first batch of each minute pays for the sweep.
 *
 * @example
 * const sweep = atMostEvery(60_000, () => sweepStaleTurns(turns, 3));
 * await sweep(); // runs; a call within the minute returns at once
 */
export function atMostEvery(
  everyMs: number,
  task: () => Promise<unknown>,
  now: () => number = Date.now,
): () => Promise<void> {
  let last = -Infinity;
  return async () => {
    if (now() - last < everyMs) return;
    last = now();
    await task();
  };
}
