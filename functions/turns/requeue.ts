import type { Log } from '../ports/log.ts';
import type { TurnQueue } from '../ports/queue.ts';
import type { TurnRepository, TurnRow } from '../ports/turns.ts';

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
      if (!(await requeue(row, turns, queue))) continue;
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

/**
 * Queues an unfinished job's request again; false when there is nothing to queue. A job whose
 * user was forgotten before it was ever queued has no text left to answer: it fails (`forgotten`).
 */
export async function requeue(row: TurnRow, turns: TurnRepository, queue: TurnQueue): Promise<boolean> {
  if (!row.request) return false;
  if (row.forgotten_at && row.status === 'queued') {
    await turns.fail(
      row.id,
      row.attempts,
      { error: "the user's memories were erased before the job was queued", code: 'forgotten' },
      { status: 'skipped' },
    );
    return false;
  }
  await queue.enqueue(row.request);
  await turns.markEnqueued(row.id);
  return true;
}

/**
 * Queues again the API jobs a stopped process left unfinished (the local stack at start). A
 * `running` row's lease belonged to the stopped process, so it is released first; otherwise the
 * claim would wait it out.
 */
export async function requeueUnfinished(turns: TurnRepository, queue: TurnQueue): Promise<number> {
  const rows = await turns.unfinishedJobs();
  for (const row of rows) {
    if (row.status === 'running')
      await turns.release(row.id, row.attempts, 'the local stack restarted during this attempt');
    await requeue(row.status === 'running' ? { ...row, status: 'queued' } : row, turns, queue);
  }
  return rows.length;
}
