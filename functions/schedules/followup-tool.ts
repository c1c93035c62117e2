import { tool, type Tool } from '@openai/agents';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { TurnRequest } from '../ports/turn-request.ts';
import { createSchedule, ScheduleLimitError, type ManageDeps } from './manage.ts';
import type { Deliver } from './schedule.ts';
import { RATE_UNITS, type RateUnit } from './timing.ts';

/** Follow-ups one user may have waiting with one agent. */
export const FOLLOWUP_LIMIT = 5;
const MIN_AHEAD_MS = 60_000;
const MAX_AHEAD_MS = 30 * 86_400_000;
const RELATIVE = /^\s*in\s+(\d{1,5})\s+(minute|minutes|hour|hours|day|days)\s*$/i;

/** The prompt a follow-up fires with; the offline model knows its shape. */
export const FOLLOWUP_PROMPT = 'Remind the user of what you promised to follow up on: ';

/** `at` as an instant: "in 2 minutes" from `now`, or an ISO 8601 time with its zone. */
export function followupTime(at: string, now: Date): Date | string {
  const relative = RELATIVE.exec(at);
  if (relative) {
    const unit = relative[2]!.toLowerCase().replace(/s$/, '') as RateUnit;
    return new Date(+now + Number(relative[1]) * RATE_UNITS[unit]);
  }
  if (!z.iso.datetime({ offset: true }).safeParse(at).success) {
    return `"${at}" is not a time; give an ISO 8601 time with its zone (2030-01-01T09:00:00Z) or "in 2 hours"`;
  }
  return new Date(at);
}

/** Where a follow-up of this turn is delivered: the Discord channel it came from, its webhook, or nowhere. */
function deliverFor(request: TurnRequest): Deliver {
  const reply = request.reply;
  if (
    (reply.kind === 'discord' || reply.kind === 'discord-channel') &&
    /^\d{17,20}$/.test(request.conversation)
  )
    return { kind: 'discord', channelId: request.conversation };
  if (reply.kind === 'api' && reply.webhookUrl) return { kind: 'webhook', url: reply.webhookUrl };
  return { kind: 'none' };
}

/**
 * `schedule_followup(at, note)`: the agent keeps its promise ("I'll remind you tomorrow at 9")
 * by scheduling a turn in this conversation. Bounded per user (FOLLOWUP_LIMIT waiting, 1 minute
 * to 30 days ahead); a retried turn schedules the same follow-up again, not a second one.
 *
 * @example
 * runTurn(input, { ...deps, tools: [followupTool(request, { schedules, trigger, now })] });
 */
export function followupTool(request: TurnRequest, deps: ManageDeps & { now: () => Date }): Tool {
  return tool({
    name: 'schedule_followup',
    description:
      'Schedule a follow-up with this user: at the given time you get `note` back and write to them. Use it whenever you promise to remind or check back.',
    parameters: z.object({
      at: z
        .string()
        .describe(
          'ISO 8601 time with zone, e.g. 2030-01-01T09:00:00Z, or "in 2 minutes" / "in 3 hours" / "in 1 day"',
        ),
      note: z.string().describe('what to remind the user of, in a few words'),
    }),
    execute: async ({ at, note }) => {
      const now = deps.now();
      const when = followupTime(at, now);
      if (typeof when === 'string') return when;
      if (+when - +now < MIN_AHEAD_MS || +when - +now > MAX_AHEAD_MS)
        return `a follow-up must be between 1 minute and 30 days from now (${now.toISOString()})`;
      const text = note.trim().slice(0, 500);
      if (!text) return 'say what the follow-up is about in `note`';
      const key = `f.${createHash('sha256').update(`${request.id}\n${when.toISOString()}\n${text}`).digest('base64url').slice(0, 32)}`;
      const deliver = deliverFor(request);
      try {
        await createSchedule(
          {
            key,
            agentId: request.character,
            id: key,
            source: 'followup',
            owner: request.user.id,
            timing: { kind: 'at', at: when.toISOString() },
            prompt: `${FOLLOWUP_PROMPT}${text}`,
            conversation: request.conversation,
            user: request.user,
            deliver,
            createdAt: now,
          },
          { limit: FOLLOWUP_LIMIT, what: 'this user' },
          deps,
        );
      } catch (error) {
        if (error instanceof ScheduleLimitError) return `${error.message} (tell the user)`;
        throw error;
      }
      const where =
        deliver.kind === 'none'
          ? ' (it will be kept in memory; this conversation has no channel to post to)'
          : '';
      return `follow-up set for ${when.toISOString()}: ${text}${where}`;
    },
  });
}
