import type { Log } from '../ports/log.ts';
import type { TurnQueue } from '../ports/queue.ts';
import type { TurnRepository } from '../ports/turns.ts';

/**
 * How long a job may wait for its own enqueue before the sweep does it: longer than any API
 * request lives (API Gateway ends them at 30 s), so the sweep never races the request itself.
 */
export const REQUEUE_GRACE_SECONDS = 60;

/**
 * Queues the API jobs whose row was written but whose message never reached the queue (the API
 * process died in between), so each is answered after all. A job the queue took but that was
 * never marked is queued a second time: the runner's claim answers it once either way. Never
 * throws: a failed sweep is logged and tried again next time.
 *
 * @example
 * await requeueUnqueued(turns, queue, { now: new Date() }); // 0
 */
export async function requeueUnqueued(
  turns: TurnRepository,
  queue: TurnQueue,
  options: { now?: Date; graceSeconds?: number; log?: Log } = {},
): Promise<number> {
  let queued = 0;
  try {
    const rows = await turns.unqueuedJobs(
      options.graceSeconds ?? REQUEUE_GRACE_SECONDS,
      options.now ?? new Date(),
    );
    for (const row of rows) {
      if (!row.request) continue;
      await queue.enqueue(row.request);
      await turns.markEnqueued(row.id);
      options.log?.warn('job queued by the recovery sweep: its first enqueue never happened', {
        turnId: row.id,
      });
      queued++;
    }
  } catch (error) {
    options.log?.warn('queueing unqueued jobs failed; trying again later', {
      error: error instanceof Error ? error.message : String(error),
    });
  }
  return queued;
}
