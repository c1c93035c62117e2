import { z } from 'zod';
import { jobSchema, pageLimit } from './schemas.ts';

const callerId = (what: string) =>
  z
    .string()
    .min(1)
    .max(128)
    .regex(/^[\x21-\x7e]+$/, `${what} uses printable ASCII without spaces`);

export const jobListQuery = z.strictObject({
  agentId: callerId('agentId').optional(),
  conversationId: callerId('conversationId').optional(),
  before: z.iso
    .datetime({ offset: true, message: 'expected an ISO time, e.g. the createdAt of the last job shown' })
    .optional()
    .describe("the next page: jobs created before this (the last job's createdAt)"),
  limit: pageLimit(20),
});

export const conversationListQuery = z.strictObject({
  limit: pageLimit(50),
});

export const conversationSchema = z.object({
  conversationId: z.string(),
  userId: z.string(),
  jobs: z.number().int(),
  lastAt: z.string(),
  lastText: z.string().describe("the latest message; empty once its user's memories were erased"),
});

export const traceSchema = z.object({
  job: jobSchema,
  timings: z
    .record(z.string(), z.number())
    .nullable()
    .describe('recallMs, modelMs, storeMs, totalMs of the attempt that answered'),
  model: z.object({ provider: z.string(), name: z.string() }).nullable(),
  recalled: z
    .array(
      z.object({
        id: z.string(),
        type: z.string(),
        text: z.string(),
        score: z.number(),
        why: z.record(z.string(), z.union([z.number(), z.boolean()])),
      }),
    )
    .optional()
    .describe('what recall found, with the score parts; only for a key with memories:read'),
  tools: z.array(z.object({ name: z.string(), arguments: z.string(), output: z.string().optional() })),
  notices: z.array(z.string()),
});

export type TraceView = z.output<typeof traceSchema>;
