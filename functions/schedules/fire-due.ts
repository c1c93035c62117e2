import type { Log } from '../ports/log.ts';
import type { TurnQueue } from '../ports/queue.ts';
import { firingRequest } from './firing.ts';
import { isSpent, type Schedule } from './schedule.ts';
import type { ScheduleRepository } from './schedule-repository.ts';
import { dueFiring } from './timing.ts';

export interface FireDueDeps {
  schedules: ScheduleRepository;
  queue: TurnQueue;
  now: () => Date;
  log?: Log;
}

/**
 * One tick of the in-process scheduler: every schedule with a firing due is queued once, for
 * its latest due time, then that time is recorded. Queued first: a crash in between queues the
 * same firing (same turn id) again at the next start, and the runner answers it once.
 *
 * @example
 * setInterval(() => fireDueSchedules({ schedules, queue, now: () => new Date() }), 15_000);
 */
export async function fireDueSchedules(deps: FireDueDeps): Promise<Schedule[]> {
  const now = deps.now();
  const fired: Schedule[] = [];
  for (const schedule of await deps.schedules.list()) {
    if (isSpent(schedule) || schedule.source === 'plan') continue;
    const due = dueFiring(schedule.timing, schedule.lastFiredAt ?? schedule.createdAt, now);
    if (!due) continue;
    try {
      await deps.queue.enqueue(firingRequest(schedule, due));
    } catch (error) {
      deps.log?.error('a schedule could not be queued; the next tick tries again', {
        schedule: schedule.key,
        error: error instanceof Error ? error.message : String(error),
      });
      continue;
    }
    if (await deps.schedules.markFired(schedule.key, due)) fired.push({ ...schedule, lastFiredAt: due });
  }
  return fired;
}
