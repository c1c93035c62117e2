import { Hono } from 'hono';
import { streamHandle } from 'hono/aws-lambda';
import { createJobEvents } from '../wiring/job-events.ts';
import { once } from '../wiring/once.ts';
import { loadedSettings } from '../wiring/settings.ts';
import { observability } from './observability.ts';

const { logger } = observability('job-events');
const ready = once(async () => createJobEvents(await loadedSettings(logger), logger));

/**
 * The function URL in RESPONSE_STREAM mode → GET /v1/jobs/{id}/events as Server-Sent Events.
 * Not a middy chain: a streamed response is written as it goes, which middy's chain does not
 * pass through; the app is built once per container all the same.
 */
export const handler = streamHandle(
  new Hono<{ Bindings: { context?: { getRemainingTimeInMillis(): number } } }>().all('*', async (c) =>
    (await ready()).fetch(c.req.raw, { lambdaContext: c.env.context }),
  ),
);
