import type { Timing } from './timing.ts';

/** Where a firing's reply goes: a Discord channel (bot token), a webhook, or nowhere. */
export type Deliver =
  { kind: 'discord'; channelId: string } | { kind: 'webhook'; url: string } | { kind: 'none' };

/**
 * Who made a schedule: the character file, an API caller, or the agent itself (a follow-up);
 * `plan` rows keep an Instagram content plan's last firing and start no turn.
 */
export type ScheduleSource = 'character' | 'api' | 'followup' | 'plan';

/**
 * One schedule, whatever made it. `key` is unique across agents and is the EventBridge schedule
 * name; `id` is the name its maker gave it. A firing runs one turn in `conversation` as `user`
 * with `prompt` as the message.
 */
export interface Schedule {
  key: string;
  agentId: string;
  id: string;
  source: ScheduleSource;
  /** `api-key:<id>` for API schedules, the user id for follow-ups, null for the character file. */
  owner: string | null;
  timing: Timing;
  prompt: string;
  conversation: string;
  user: { id: string; name?: string };
  deliver: Deliver;
  createdAt: Date;
  /** The scheduled time of the last firing run (not the wall-clock time it ran). */
  lastFiredAt: Date | null;
}

/** EventBridge schedule names: letters, digits, `-`, `_`, `.`; 64 characters at most. */
export const SCHEDULE_KEY = /^[A-Za-z0-9_.-]{1,64}$/;

/**
 * The key of a character-file schedule: stable across deploys, so the CDK app and the local
 * scheduler name it the same way.
 *
 * @example
 * characterScheduleKey('ada', 'morning'); // 'c.ada.morning'
 */
export function characterScheduleKey(agentId: string, id: string): string {
  return `c.${agentId}.${id}`.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 64);
}

/** Whether a schedule will not fire again: a one-time schedule that already fired. */
export function isSpent(schedule: Pick<Schedule, 'timing' | 'lastFiredAt'>): boolean {
  return schedule.timing.kind === 'at' && schedule.lastFiredAt !== null;
}
