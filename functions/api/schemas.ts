import { z } from 'zod';

/** Conversation and user ids become SQS group ids and memory rooms: keep them printable and short. */
const id = (what: string, max = 128) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(/^[\x21-\x7e]+$/, `${what} uses printable ASCII without spaces`);

export const sendMessageBody = z.strictObject({
  text: z.string().trim().min(1, 'write a message').max(16_000),
  // Stored as `api:<tenant>:<conversationId>` (tenants are at most 32 characters).
  conversationId: id('conversationId', 124).optional(),
  // The default conversation is `api:<tenant>:user:<userId>`.
  userId: id('userId', 100).optional(),
  userName: z.string().min(1).max(100).optional(),
  webhookUrl: z
    .url({ protocol: /^https?$/, message: 'expected an http(s) URL' })
    .max(2048)
    .optional()
    .describe('POSTed a signed job.completed / job.failed event when the job ends'),
});

export const sendMessageQuery = z.strictObject({
  wait: z.coerce
    .number()
    .int()
    .min(0)
    .max(25, 'wait at most 25 seconds; poll GET /v1/jobs/{id} for longer')
    .default(0)
    .describe('seconds to wait for the reply before answering 202'),
});

export const memoryTypes = ['message', 'fact', 'description', 'lore', 'document', 'knowledge'] as const;

/**
 * A page size in a query string: a whole number from 1 to 100 (`fallback` when absent), with a
 * message that says so for `?limit=abc` or `?limit=0`.
 */
export const pageLimit = (fallback: number) =>
  z.coerce
    .number({ error: 'must be a whole number from 1 to 100' })
    .int('must be a whole number from 1 to 100')
    .min(1, 'must be a whole number from 1 to 100')
    .max(100, 'must be a whole number from 1 to 100')
    .default(fallback);

export const memoriesQuery = z.strictObject({
  query: z.string().max(2000).optional().describe('text to rank memories by; newest first when omitted'),
  userId: id('userId').optional(),
  roomId: id('roomId').optional(),
  type: z.enum(memoryTypes).optional(),
  limit: pageLimit(20),
});

export const forgetQuery = z.strictObject({
  userId: id('userId'),
});

export const addFactBody = z.strictObject({
  userId: id('userId'),
  text: z
    .string()
    .trim()
    .min(1, 'write the fact')
    .max(2000)
    .describe('one sentence about the user, e.g. "Sam\'s favourite colour is teal"'),
});

export const factAddedSchema = z.object({
  id: z.string(),
  outcome: z.enum(['added', 'duplicate', 'superseded']).describe('the same fact twice is stored once'),
});

export const jobSchema = z.object({
  id: z.string(),
  agentId: z.string(),
  conversationId: z.string(),
  userId: z.string(),
  status: z.enum(['queued', 'running', 'done', 'failed']),
  text: z.string().optional().describe('the message sent; gone once its user was forgotten'),
  reply: z.string().optional(),
  error: z
    .object({ code: z.string(), message: z.string() })
    .optional()
    .describe('why the job failed: a stable code and a message meant for people'),
  attempts: z.number().int(),
  createdAt: z.string(),
  finishedAt: z.string().optional(),
  usage: z.record(z.string(), z.union([z.number(), z.string(), z.null()])).optional(),
  webhook: z
    .object({ status: z.string(), code: z.string().optional(), reason: z.string().optional() })
    .optional(),
});

export const acceptedSchema = z.object({
  jobId: z.string(),
  status: z.enum(['queued', 'running']),
  poll: z.string().describe('GET this URL for the job'),
});

export const agentSchema = z.object({ id: z.string(), name: z.string() });

export const memorySchema = z.object({
  id: z.string(),
  type: z.enum(memoryTypes),
  text: z.string(),
  userId: z.string().nullable().optional(),
  roomId: z.string().nullable().optional(),
  createdAt: z.string(),
  metadata: z.record(z.string(), z.unknown()).optional(),
  speaker: z
    .object({ role: z.enum(['user', 'assistant']), name: z.string().optional() })
    .optional()
    .describe('who said it, for a message: the user (by name when known) or the character'),
  score: z.number(),
  why: z.record(z.string(), z.union([z.number(), z.boolean()])).optional(),
});

export const errorSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});

export type SendMessageBody = z.output<typeof sendMessageBody>;
export type Job = z.output<typeof jobSchema>;
