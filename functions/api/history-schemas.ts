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
    .datetime({ offset: true, message: 'expected an ISO time, e.g. 2030-01-31T09:00:00Z' })
    .optional()
    .describe('only jobs created before this time'),
  after: z
    .string()
    .min(1)
    .max(128)
    .optional()
    .describe("the next page: the jobs after this one (the previous page's `next`)"),
  limit: pageLimit(20),
});

export const jobListSchema = z.object({
  jobs: z.array(jobSchema),
  next: z
    .string()
    .nullable()
    .describe("pass as ?after= for the next page (the last job's id); null when this page is the last"),
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
