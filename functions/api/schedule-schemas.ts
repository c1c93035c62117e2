import { z } from 'zod';
import { deliverSpecSchema, SCHEDULE_ID, timingFrom } from '../schedules/spec.ts';
import type { Timing } from '../schedules/timing.ts';

const callerId = (what: string) =>
  z
    .string()
    .min(1)
    .max(100)
    .regex(/^[\x21-\x7e]+$/, `${what} uses printable ASCII without spaces`);

/** POST /v1/agents/{id}/schedules: recurring (`cron` or `rate`) or one-time (`at`). */
export const newScheduleBody = z
  .strictObject({
    id: z
      .string()
      .regex(SCHEDULE_ID, 'use 1-40 lower-case letters, digits, "-" or "_"')
      .describe('your name for it'),
    cron: z.string().optional().describe('5-field cron, e.g. "0 9 * * 1-5"'),
    rate: z.string().optional().describe('e.g. "15 minutes", "1 day"'),
    at: z.iso.datetime({ offset: true }).optional().describe('one time, ISO 8601 with zone'),
    timezone: z.string().default('UTC'),
    prompt: z.string().trim().min(1, 'write the message the agent acts on').max(4000),
    deliver: z
      .union([z.literal('none'), z.object({ webhook: z.string() })])
      .optional()
      .describe('"none" (memory only) or { "webhook": "https://…" }'),
    conversationId: callerId('conversationId').optional(),
    userId: callerId('userId').optional(),
  })
  .transform((body, ctx) => {
    const deliver = deliverSpecSchema.safeParse(body.deliver);
    if (!deliver.success)
      for (const issue of deliver.error.issues)
        ctx.addIssue({ ...issue, path: ['deliver', ...issue.path] } as never);
    let timing: Timing | undefined;
    if (body.at !== undefined) {
      if (body.cron !== undefined || body.rate !== undefined)
        ctx.addIssue({ code: 'custom', path: ['at'], message: 'give one of "at", "cron" and "rate"' });
      timing = { kind: 'at', at: new Date(body.at).toISOString() };
    } else timing = timingFrom(body, ctx);
    return { ...body, timing: timing!, deliver: deliver.success ? deliver.data : { kind: 'none' as const } };
  });

export const scheduleView = z.object({
  id: z.string(),
  key: z.string(),
  agentId: z.string(),
  source: z.enum(['character', 'api', 'followup', 'plan']),
  timing: z.record(z.string(), z.unknown()),
  prompt: z.string(),
  deliver: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
  lastFiredAt: z.string().nullable(),
});
