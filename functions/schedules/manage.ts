import { CarrierError } from '../errors.ts';
import type { ScheduleTrigger, TriggeredSchedule } from '../ports/schedule-trigger.ts';
import { schedulerExpression } from './expression.ts';
import { firingGroup, firingMessage } from './firing.ts';
import type { Schedule } from './schedule.ts';
import type { NewSchedule, ScheduleRepository } from './schedule-repository.ts';

export class ScheduleLimitError extends CarrierError {
  override name = 'ScheduleLimitError';
  constructor(
    readonly limit: number,
    what: string,
  ) {
    super(`${what} already has ${limit} schedules waiting to fire; delete one first`, 'schedule_limit');
  }
}

export interface ManageDeps {
  schedules: ScheduleRepository;
  trigger: ScheduleTrigger;
}

/** A schedule as its trigger sees it. */
export function triggered(schedule: Schedule): TriggeredSchedule {
  return {
    key: schedule.key,
    agentId: schedule.agentId,
    group: firingGroup(schedule),
    expression: schedulerExpression(schedule.timing),
    once: schedule.timing.kind === 'at',
    message: (time) => firingMessage(schedule, time),
  };
}

/**
 * Stores a schedule within the owner's bound, then arms its trigger; a trigger that cannot be
 * armed takes the row back out, so no schedule is listed that will never fire.
 *
 * @example
 * await createSchedule(schedule, { limit: 5, what: 'user u1' }, { schedules, trigger });
 */
export async function createSchedule(
  schedule: NewSchedule,
  bound: { limit: number; what: string },
  deps: ManageDeps,
): Promise<Schedule> {
  const stored = await deps.schedules.put(schedule, { limit: bound.limit });
  if (!stored) throw new ScheduleLimitError(bound.limit, bound.what);
  try {
    await deps.trigger.arm(triggered(stored));
  } catch (error) {
    await deps.schedules.delete(stored.key);
    throw error;
  }
  return stored;
}

/** Deletes `key` if `owner` owns it, and disarms it; undefined when there was nothing to delete. */
export async function deleteSchedule(
  key: string,
  owner: string | undefined,
  deps: ManageDeps,
): Promise<Schedule | undefined> {
  const gone = await deps.schedules.delete(key, owner);
  if (gone) await deps.trigger.disarm(key);
  return gone;
}
