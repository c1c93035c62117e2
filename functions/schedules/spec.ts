import { z } from 'zod';
import { characterScheduleKey, type Deliver, type Schedule } from './schedule.ts';
import { eventBridgeCron } from './expression.ts';
import { cronProblem, parseRate, timezoneProblem, type Timing } from './timing.ts';

const SNOWFLAKE = /^\d{17,20}$/;
const DELIVER_HELP = 'expected "none", { "discord": "<channel id>" } or { "webhook": "https://…" }';

/** How a schedule in a file or request says where its reply goes. */
export const deliverSpecSchema = z.unknown().transform((value, ctx): Deliver => {
  if (value === undefined || value === 'none') return { kind: 'none' };
  const spec = value as { discord?: unknown; webhook?: unknown };
  const keys = value && typeof value === 'object' && !Array.isArray(value) ? Object.keys(value) : [];
  if (keys.length === 1 && typeof spec.discord === 'string') {
    if (SNOWFLAKE.test(spec.discord)) return { kind: 'discord', channelId: spec.discord };
    ctx.addIssue({
      code: 'custom',
      path: ['discord'],
      message: `"${spec.discord}" is not a Discord channel id (17-20 digits)`,
    });
    return z.NEVER;
  }
  if (keys.length === 1 && typeof spec.webhook === 'string') {
    if (z.url({ protocol: /^https?$/ }).safeParse(spec.webhook).success)
      return { kind: 'webhook', url: spec.webhook };
    ctx.addIssue({ code: 'custom', path: ['webhook'], message: 'expected an http(s) URL' });
    return z.NEVER;
  }
  ctx.addIssue({ code: 'custom', message: DELIVER_HELP });
  return z.NEVER;
});

/** Exactly one of `cron` and `rate`, each valid, in a known time zone; or the issues. */
export function timingFrom(
  spec: { cron?: string | undefined; rate?: string | undefined; timezone: string },
  ctx: z.RefinementCtx,
): Timing | undefined {
  const zone = timezoneProblem(spec.timezone);
  if (zone) ctx.addIssue({ code: 'custom', path: ['timezone'], message: zone });
  if ((spec.cron === undefined) === (spec.rate === undefined)) {
    ctx.addIssue({
      code: 'custom',
      path: ['cron'],
      message: 'give exactly one of "cron" (e.g. "0 9 * * *") and "rate" (e.g. "1 day")',
    });
    return undefined;
  }
  if (spec.rate !== undefined) {
    const rate = parseRate(spec.rate);
    if (typeof rate === 'string') ctx.addIssue({ code: 'custom', path: ['rate'], message: rate });
    return typeof rate === 'string' ? undefined : rate;
  }
  const expression = spec.cron!;
  const problem = cronProblem(expression, zone ? 'UTC' : spec.timezone);
  if (!problem) {
    try {
      eventBridgeCron(expression);
    } catch (error) {
      ctx.addIssue({ code: 'custom', path: ['cron'], message: (error as Error).message });
      return undefined;
    }
  }
  if (problem) ctx.addIssue({ code: 'custom', path: ['cron'], message: problem });
  return problem || zone ? undefined : { kind: 'cron', expression, timezone: spec.timezone };
}

export const SCHEDULE_ID = /^[a-z0-9][a-z0-9_-]{0,39}$/;
const scheduleId = z
  .string()
  .regex(SCHEDULE_ID, 'use 1-40 lower-case letters, digits, "-" or "_", starting with a letter or digit');

/** One entry of a character file's `schedules`. Unknown keys are typos here, so they are errors. */
export const scheduleSpecSchema = z
  .strictObject({
    id: scheduleId,
    cron: z.string().optional(),
    rate: z.string().optional(),
    timezone: z.string().default('UTC'),
    prompt: z.string().trim().min(1, 'write the message the character acts on').max(4000),
    deliver: deliverSpecSchema.optional(),
  })
  .transform((spec, ctx) => {
    const timing = timingFrom(spec, ctx);
    return {
      id: spec.id,
      timing: timing!,
      prompt: spec.prompt,
      deliver: spec.deliver ?? { kind: 'none' as const },
    };
  });

export type ScheduleSpec = z.output<typeof scheduleSpecSchema>;

/** A character's `schedules`: ids unique within the file. */
export const scheduleSpecsSchema = z.array(scheduleSpecSchema).superRefine((specs, ctx) => {
  const seen = new Set<string>();
  specs.forEach((spec, i) => {
    if (seen.has(spec.id))
      ctx.addIssue({
        code: 'custom',
        path: [i, 'id'],
        message: `"${spec.id}" is used twice; schedule ids are unique per character`,
      });
    seen.add(spec.id);
  });
});

/**
 * A character file's schedules as schedules: keyed by character and id, talking in the Discord
 * channel they deliver to (else a room of their own), as the user `schedule`.
 *
 * @example
 * characterSchedules('ada', character.schedules ?? [], new Date(0));
 */
export function characterSchedules(agentId: string, specs: ScheduleSpec[], createdAt: Date): Schedule[] {
  return specs.map((spec) => ({
    key: characterScheduleKey(agentId, spec.id),
    agentId,
    id: spec.id,
    source: 'character',
    owner: null,
    timing: spec.timing,
    prompt: spec.prompt,
    conversation: spec.deliver.kind === 'discord' ? spec.deliver.channelId : `schedule:${spec.id}`,
    user: { id: 'schedule', name: 'schedule' },
    deliver: spec.deliver,
    createdAt,
    lastFiredAt: null,
  }));
}
