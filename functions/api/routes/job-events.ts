import { Hono, type Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import { z } from 'zod';
import type { TurnEventRepository } from '../../ports/turn-events.ts';
import type { TurnRepository } from '../../ports/turns.ts';
import { followEvents, nextEvents, pause, type EventSource } from '../../turns/follow-events.ts';
import { requireScope, type ApiEnv } from '../auth.ts';
import { waitBudget } from '../deadline.ts';
import { ApiError } from '../errors.ts';
import { eventFrame, eventPageSchema } from '../event-frames.ts';
import { ownedJob } from '../job-access.ts';
import type { RouteDoc } from '../openapi.ts';
import { errorSchema } from '../schemas.ts';
import { query } from '../validate.ts';

export const jobEventsQuery = z.strictObject({
  after: z.coerce
    .number()
    .int()
    .min(0)
    .optional()
    .describe('long-poll: answer JSON with the events after this seq (0 for all) instead of a stream'),
  wait: z.coerce
    .number()
    .int()
    .min(0)
    .max(25, 'wait at most 25 seconds, then ask again with ?after=<next>')
    .default(20)
    .describe('long-poll: seconds to wait for a first new event'),
});

export interface JobEventsDeps {
  turns: Pick<TurnRepository, 'get'>;
  events: TurnEventRepository;
  /** How often the table is read while nothing new is there. Default 250 ms. */
  pollMs?: number;
  /** A stream is closed after this long (the client resumes with Last-Event-ID). Default 14 minutes. */
  maxStreamMs?: number;
  /** An SSE comment this often keeps proxies from closing a quiet stream. Default 15 s. */
  keepAliveMs?: number;
}

/**
 * GET /jobs/{id}/events: the job's turn events as Server-Sent Events (`id` = seq, `event` =
 * kind, `data` = the frame), replaying after `Last-Event-ID` and following until `done` or a
 * final `error`; with `?after=<seq>`, one long-poll JSON page instead. Same key, scope and
 * tenant rule as GET /jobs/{id}.
 *
 * @example
 * app.route('/v1', jobEventsRoutes({ turns, events }));
 */
export function jobEventsRoutes(deps: JobEventsDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  const source: EventSource = { events: deps.events, turns: deps.turns };
  const pollMs = deps.pollMs ?? 250;

  app.get('/jobs/:id/events', requireScope('messages'), async (c) => {
    const { after, wait } = query(c, jobEventsQuery);
    const jobId = (await ownedJob(deps.turns, c.req.param('id'), c.get('principal'))).id;
    if (after !== undefined)
      return c.json(await longPoll(source, jobId, after, waitBudget(c, wait * 1000), pollMs));
    const from = lastEventId(c);
    return streamSSE(c, async (stream) => {
      const stop = new AbortController();
      stream.onAbort(() => stop.abort());
      const timeUp = setTimeout(() => stop.abort(), deps.maxStreamMs ?? 14 * 60_000);
      const keepAlive = setInterval(() => void stream.write(': keep-alive\n\n'), deps.keepAliveMs ?? 15_000);
      try {
        await stream.writeSSE({ event: 'ready', data: JSON.stringify({ jobId, after: from }), retry: 1000 });
        for await (const event of followEvents(source, jobId, from, { pollMs, signal: stop.signal })) {
          await stream.writeSSE({
            id: String(event.seq),
            event: event.kind,
            data: JSON.stringify(eventFrame(jobId, event)),
          });
        }
      } finally {
        clearTimeout(timeUp);
        clearInterval(keepAlive);
      }
    });
  });
  return app;
}

/** The events after `after`, waiting up to `ms` for a first one; `next` is where to ask again. */
async function longPoll(source: EventSource, jobId: string, after: number, ms: number, pollMs: number) {
  const deadline = Date.now() + ms;
  for (;;) {
    const { events, ended } = await nextEvents(source, jobId, after);
    if (events.length > 0 || ended || Date.now() + pollMs > deadline) {
      return {
        jobId,
        events: events.map((e) => eventFrame(jobId, e)),
        next: events.at(-1)?.seq ?? after,
        done: ended,
      };
    }
    await pause(pollMs);
  }
}

function lastEventId(c: Context<ApiEnv>): number {
  const header = c.req.header('last-event-id');
  if (header === undefined || header === '') return 0;
  if (!/^\d{1,9}$/.test(header.trim())) {
    throw new ApiError(400, 'invalid_request', 'Last-Event-ID must be the seq of an event this stream sent', [
      { path: 'header.last-event-id', message: `expected a whole number, got "${header.slice(0, 40)}"` },
    ]);
  }
  return Number(header.trim());
}

export const JOB_EVENTS_ROUTE_DOCS: RouteDoc[] = [
  {
    method: 'get',
    path: '/v1/jobs/{id}/events',
    summary:
      'The job as it is written: Server-Sent Events (resume with Last-Event-ID), or with ?after=<seq> one long-poll JSON page',
    scope: 'messages',
    query: jobEventsQuery,
    headers: [
      {
        name: 'Last-Event-ID',
        in: 'header',
        required: false,
        description: 'SSE: replay only the events after this seq',
        schema: { type: 'string' },
      },
    ],
    responses: {
      200: {
        description: 'text/event-stream of TurnEvent frames; with ?after, a JSON page',
        schema: eventPageSchema,
      },
      404: { description: 'no such job for this key', schema: errorSchema },
    },
  },
];

/** The events routes for the API's extra routes (mounted under /v1 behind the key check). */
export function jobEventsApi(deps: JobEventsDeps) {
  return { path: '/', app: jobEventsRoutes(deps), docs: JOB_EVENTS_ROUTE_DOCS };
}
