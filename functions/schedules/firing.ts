import { createHash } from 'node:crypto';
import { turnRequestSchema, type ReplyTarget, type TurnRequest } from '../ports/turn-request.ts';
import type { Deliver, Schedule } from './schedule.ts';

/** What EventBridge Scheduler writes in place of this text when it sends the message. */
export const SCHEDULED_TIME = '<aws.scheduler.scheduled-time>';

/**
 * The turn id of one firing: the schedule and its scheduled time. Two deliveries of the same
 * firing (a retried target, a scheduler restart) carry the same id, so the runner's claim
 * answers it once; as the whole message is the same too, SQS's content-based deduplication
 * drops the second send within five minutes.
 *
 * @example
 * firingId('c.ada.morning', '2030-01-01T09:00:00Z'); // 'sched:c.ada.morning:2030-01-01T09:00:00Z'
 */
export function firingId(key: string, scheduledTime: string): string {
  return `sched:${key}:${scheduledTime}`;
}

/** The reply target of a firing: a Discord channel message, the webhook, or nothing. */
export function replyFor(deliver: Deliver, turnId: string): ReplyTarget {
  if (deliver.kind === 'discord') return { kind: 'discord-channel', channelId: deliver.channelId };
  if (deliver.kind === 'webhook') return { kind: 'api', jobId: turnId, webhookUrl: deliver.url };
  return { kind: 'none' };
}

/**
 * The queue message of a firing at `scheduledTime`, as a plain object. With SCHEDULED_TIME in
 * place of the time it is the EventBridge target's input template.
 */
export function firingMessage(schedule: Schedule, scheduledTime: string): Record<string, unknown> {
  const id = firingId(schedule.key, scheduledTime);
  return {
    id,
    action: 'turn',
    character: schedule.agentId,
    conversation: schedule.conversation,
    user: schedule.user,
    text: schedule.prompt,
    source: 'schedule',
    reply: replyFor(schedule.deliver, id),
    receivedAt: scheduledTime,
  };
}

/** The TurnRequest of the firing at `at`, validated like any producer's. */
export function firingRequest(schedule: Schedule, at: Date): TurnRequest {
  return turnRequestSchema.parse(firingMessage(schedule, at.toISOString().replace('.000Z', 'Z')));
}

/**
 * The FIFO message group of a schedule's turns: its character and conversation, so firings of
 * one conversation run in order and never hold up another character's.
 */
export function firingGroup(schedule: Pick<Schedule, 'agentId' | 'conversation'>): string {
  const group = `${schedule.agentId}:${schedule.conversation}`;
  // SQS takes 1-128 printable ASCII characters; anything else is named by its SHA-256.
  return /^[\x21-\x7e]{1,128}$/.test(group) ? group : createHash('sha256').update(group).digest('hex');
}
