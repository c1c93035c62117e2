/** What a trigger needs of a schedule: its key, timing and the turn it starts. */
export interface TriggeredSchedule {
  key: string;
  agentId: string;
  /** The FIFO message group of its firings: character and conversation. */
  group: string;
  /** EventBridge's form of the timing: `cron(…)`, `rate(…)` or `at(…)`, and its time zone. */
  expression: { expression: string; timezone: string };
  /** One-time schedules delete themselves after firing. */
  once: boolean;
  /** The queue message of a firing, with the scheduled time as a placeholder to fill in. */
  message(scheduledTime: string): Record<string, unknown>;
}

/**
 * What makes a stored schedule fire. Deployed: an EventBridge Scheduler schedule in the
 * environment's group that sends the firing to the turn queue. Locally: nothing to do, since
 * the in-process scheduler reads the schedules table on every tick.
 */
export interface ScheduleTrigger {
  /** Creates or replaces the trigger of `schedule`. */
  arm(schedule: TriggeredSchedule): Promise<void>;
  /** Removes it; removing one that is gone already is not an error. */
  disarm(key: string): Promise<void>;
}
