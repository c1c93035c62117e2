import type { Schedule, ScheduleSource } from './schedule.ts';

/** What `put` writes: everything but when it last fired, which the store keeps. */
export type NewSchedule = Omit<Schedule, 'lastFiredAt'>;

/**
 * The schedules table (migration 0050). Implemented by adapters/store/schedules.ts (SQL) and
 * test/fakes/in-memory-schedules.ts, held to one contract (test/store/schedules-contract.test.ts).
 */
export interface ScheduleRepository {
  /**
   * Inserts, or replaces by key keeping `lastFiredAt`. With `limit`, nothing is written (undefined)
   * when the owner already has `limit` live schedules of this source for the agent.
   */
  put(schedule: NewSchedule, options?: { limit?: number }): Promise<Schedule | undefined>;
  get(key: string): Promise<Schedule | undefined>;
  /** Oldest first; an absent filter matches everything. */
  list(filter?: { agentId?: string; owner?: string; source?: ScheduleSource }): Promise<Schedule[]>;
  /** Deletes `key` if `owner` (when given) owns it; returns what was deleted. */
  delete(key: string, owner?: string): Promise<Schedule | undefined>;
  /** Records the firing scheduled at `at`; false when it or a later one was recorded already. */
  markFired(key: string, at: Date): Promise<boolean>;
  /** Deletes the agent's character-file schedules whose keys are not in `keep`; returns their keys. */
  pruneCharacter(agentId: string, keep: string[]): Promise<string[]>;
}
