import { z } from 'zod';
import { USAGE_GROUPINGS, type UsageQuery } from '../ports/usage.ts';

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a day like 2030-01-31')
  .refine((d) => realDay(d), 'expected a real calendar day');

/** The filters of a usage report, shared by GET /v1/usage and `carrier usage`. Days are budget days. */
export const usageQuerySchema = z
  .strictObject({
    by: z.enum(USAGE_GROUPINGS, { error: `expected one of ${USAGE_GROUPINGS.join(', ')}` }).default('total'),
    from: day.optional(),
    to: day.optional(),
    character: z.string().min(1).max(200).optional(),
    userId: z.string().min(1).max(500).optional(),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, {
    message: 'from must not be after to',
    path: ['from'],
  });

export type UsageQueryInput = z.output<typeof usageQuerySchema>;

/** The repository query for parsed filters; `userPrefix` keeps a caller to its own users. */
export function toSummaryQuery(q: UsageQueryInput, userPrefix?: string): UsageQuery {
  return {
    by: q.by,
    ...(q.from ? { from: q.from } : {}),
    ...(q.to ? { to: q.to } : {}),
    ...(q.character ? { agentId: q.character } : {}),
    ...(q.userId ? { userId: q.userId } : {}),
    ...(userPrefix ? { userPrefix } : {}),
  };
}

/** 2030-02-30 matches the pattern but is no day: a real one survives the round trip. */
function realDay(d: string): boolean {
  const date = new Date(`${d}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === d;
}
