import type { Log } from '../ports/log.ts';
import type { TurnQueue } from '../ports/queue.ts';
import type { TurnRepository } from '../ports/turns.ts';
import { requeueUnqueued } from './requeue.ts';
import { sweepStaleTurns } from './sweep-stale.ts';

export interface SweepReport {
  /** Turns failed because their last attempt ran out of time (apologised for by the dead-letter consumer). */
  stale: number;
  /** API jobs queued because their first enqueue never happened. */
  requeued: number;
}

/**
 * One recovery sweep: fails turns whose last attempt ran out of time and queues the jobs whose
 * message never reached the queue. The local stack runs it every minute, the deployed sweeper on
 * a one-minute schedule.
 *
 * @example
 * await sweepTurns({ turns, queue, maxReceiveCount: 3 }); // { stale: 0, requeued: 0 }
 */
export async function sweepTurns(parts: {
  turns: TurnRepository;
  queue: TurnQueue;
  maxReceiveCount: number;
  now?: Date;
  log?: Log;
}): Promise<SweepReport> {
  const stale = await sweepStaleTurns(parts.turns, parts.maxReceiveCount, parts.log);
  const requeued = await requeueUnqueued(parts.turns, parts.queue, {
    ...(parts.now ? { now: parts.now } : {}),
    ...(parts.log ? { log: parts.log } : {}),
  });
  return { stale, requeued };
}
