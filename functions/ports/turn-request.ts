import { z } from 'zod';
import { TURN_LIMITS } from './turn-limits.ts';

/**
 * The queue message shared by every producer (Discord, API, schedule) and the runner.
 * `id` is the idempotency key: the Discord interaction id or the API job id.
 */
export const replyTargetSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('discord'),
    applicationId: z.string().min(1),
    token: z.string().min(1),
    ephemeral: z.boolean().default(false),
  }),
  z.object({ kind: z.literal('api'), jobId: z.string().min(1), webhookUrl: z.url().optional() }),
  /** A scheduled turn's message to a channel, posted with the character's bot token. */
  z.object({ kind: z.literal('discord-channel'), channelId: z.string().regex(/^\d{17,20}$/) }),
  z.object({ kind: z.literal('none') }),
]);

export const turnRequestSchema = z.object({
  id: z.string().min(1).max(TURN_LIMITS.idLength),
  /** What the runner does: answer a message, or forget everything about the user. */
  action: z.enum(['turn', 'forget']).default('turn'),
  character: z.string().min(1),
  /**
   * Discord channel or API conversation id (`api:<tenant>:<id>`, up to 161 characters); the FIFO
   * message group (SQS takes 128: longer ids are sent as their hash, see sqs-queue.ts).
   */
  conversation: z.string().min(1).max(TURN_LIMITS.conversationLength),
  user: z.object({ id: z.string().min(1), name: z.string().optional() }),
  text: z.string().max(TURN_LIMITS.textLength),
  source: z.enum(['discord', 'api', 'schedule', 'cli']),
  reply: replyTargetSchema,
  receivedAt: z.iso.datetime(),
});

export type TurnRequest = z.output<typeof turnRequestSchema>;
export type TurnRequestInput = z.input<typeof turnRequestSchema>;
export type ReplyTarget = z.output<typeof replyTargetSchema>;
