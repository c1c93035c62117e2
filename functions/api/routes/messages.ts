import { Hono, type Context } from 'hono';
import { randomUUID } from 'node:crypto';
import { InFlightLimitError, type TurnRow } from '../../ports/turns.ts';
import type { Principal } from '../../ports/api-keys.ts';
import { DEFAULT_KEY_LIMITS } from '../../ports/rate-limits.ts';
import { keyLimits } from '../rate-limit.ts';
import { turnRequestSchema, type TurnRequest } from '../../ports/turn-request.ts';
import { requireScope, type ApiEnv } from '../auth.ts';
import type { ApiDeps } from '../deps.ts';
import { ApiError } from '../errors.ts';
import { cleanDisplayName } from '../../agents/untrusted-text.ts';
import { callerIds, type CallerIds } from '../caller-ids.ts';
import { assertPublicWebhook, WebhookTargetError } from '../../webhooks/webhook-target.ts';
import { waitBudget } from '../deadline.ts';
import { assertSameRequest, idempotentJobId } from '../idempotency.ts';
import { jobView } from '../job-view.ts';
import { ownedJob } from '../job-access.ts';
import { sendMessageBody, sendMessageQuery } from '../schemas.ts';
import { jsonBody, query } from '../validate.ts';
import { knownAgent } from './known-agent.ts';

/**
 * POST /agents/{id}/messages and GET /jobs/{id}. The job row is written before the message is
 * queued, so a job is never lost between the two: if the queue refuses, the job is marked
 * failed and the caller gets a 503 to retry; if the process dies in between, the recovery sweep
 * queues it (turns/requeue.ts). With an `Idempotency-Key` header the job id is derived from the
 * tenant and the header, so a resend finds the same job (one reply). Ids are stored in the
 * caller's tenant (api-ids.ts), and jobs are shown to their tenant's keys only.
 */
export function messagesRoutes(deps: ApiDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  const newId = deps.newId ?? randomUUID;
  const now = deps.now ?? (() => new Date());

  app.post('/agents/:id/messages', requireScope('messages'), async (c) => {
    const agentId = c.req.param('id');
    const principal = c.get('principal');
    const { wait } = query(c, sendMessageQuery);
    const body = await jsonBody(c, sendMessageBody);
    await knownAgent(deps, agentId, principal);
    const ids = callerIds(principal);
    const caller = ids.user(body.userId, 'body.userId');
    if (body.webhookUrl) await acceptWebhook(body.webhookUrl, deps, principal);
    const { tenant } = principal;
    const idempotencyKey = c.req.header('idempotency-key');
    const jobId =
      idempotencyKey === undefined ? newId() : idempotentJobId(ids.idempotencyScope, idempotencyKey);
    const userName = cleanDisplayName(body.userName);
    const request: TurnRequest = turnRequestSchema.parse({
      id: jobId,
      character: agentId,
      conversation: ids.conversation(body.conversationId ?? `user:${caller.id}`, 'body.conversationId'),
      user: { id: caller.stored, ...(userName ? { name: userName } : {}) },
      text: body.text,
      source: 'api',
      reply: { kind: 'api', jobId, ...(body.webhookUrl ? { webhookUrl: body.webhookUrl } : {}) },
      receivedAt: now().toISOString(),
    });
    const job = await createJob(deps, request, principal);
    if (job.request?.receivedAt !== request.receivedAt) {
      assertSameRequest(job, request, tenant, idempotencyKey ?? jobId);
      // A resend answers as the first request would now: nothing is queued again, but it waits
      // for the job as long as its own ?wait says, and only an ended job within it is a 200.
      return answerJob(c, jobId, await waitedJob(c, deps, jobId, wait), ids);
    }
    try {
      await deps.queue.enqueue(request);
    } catch (error) {
      await deps.turns.fail(
        jobId,
        0,
        { error: 'the queue refused the message', code: 'queue_unavailable' },
        { status: 'skipped' },
      );
      deps.log?.error('enqueue failed', {
        jobId,
        error: error instanceof Error ? error.message : String(error),
      });
      throw new ApiError(
        503,
        'queue_unavailable',
        'the message could not be queued; send it again (with a new Idempotency-Key if you set one)',
      );
    }
    await markEnqueued(deps, jobId);
    return answerJob(c, jobId, await waitedJob(c, deps, jobId, wait), ids);
  });

  app.get('/jobs/:id', requireScope('messages'), async (c) => {
    const principal = c.get('principal');
    return c.json(jobView(await ownedJob(deps.turns, c.req.param('id'), principal), callerIds(principal)));
  });

  return app;
}

/**
 * Writes the job, within the key's cap on unfinished turns (rate-limit.ts has the key's limits):
 * over it, a 429 says so and when to try again. Only keys with a rate limiter are capped.
 */
async function createJob(deps: ApiDeps, request: TurnRequest, principal: Principal): Promise<TurnRow> {
  const maxInFlight = deps.rateLimiter
    ? keyLimits(principal, deps.limits ?? DEFAULT_KEY_LIMITS).maxInFlight
    : undefined;
  try {
    return await deps.turns.createJob(request, {
      apiKeyId: principal.keyId,
      tenant: principal.tenant,
      ...(maxInFlight !== undefined ? { maxInFlight } : {}),
    });
  } catch (error) {
    if (!(error instanceof InFlightLimitError)) throw error;
    throw new ApiError(
      429,
      'too_many_in_flight',
      `this API key already has ${error.maxInFlight} messages queued or running; send more when some have finished`,
      undefined,
      { 'Retry-After': String(IN_FLIGHT_RETRY_SECONDS) },
    );
  }
}

/**
 * Tells the recovery sweep the queue has the job. Failing to say so costs at most a second copy
 * of the message later, which the runner's claim makes harmless, so the caller still gets its 202.
 */
async function markEnqueued(deps: ApiDeps, jobId: string): Promise<void> {
  try {
    await deps.turns.markEnqueued(jobId);
  } catch (error) {
    deps.log?.error('marking a job enqueued failed; the recovery sweep will queue it again', {
      jobId,
      error: error instanceof Error ? error.message : String(error),
    });
  }
}

/** A turn takes seconds: a few of them have usually finished by then. */
const IN_FLIGHT_RETRY_SECONDS = 5;

/**
 * The webhook target is checked now, and again before each send (webhook-target.ts). Webhooks
 * are signed with the deployment's secret for the app's server, so a signed-in user (whose
 * browser or phone could not receive one) may not point them anywhere.
 */
async function acceptWebhook(url: string, deps: ApiDeps, principal: Principal): Promise<void> {
  if (principal.subject) {
    throw new ApiError(
      403,
      'forbidden',
      'webhooks are for API keys: a signed-in user polls the job or follows its events',
      [{ path: 'body.webhookUrl', message: 'not allowed with an access token' }],
    );
  }
  try {
    await assertPublicWebhook(url, {
      allowLocal: deps.allowHttpWebhooks ?? false,
      ...(deps.resolveHost ? { resolve: deps.resolveHost } : {}),
    });
  } catch (error) {
    if (!(error instanceof WebhookTargetError)) throw error;
    throw new ApiError(400, 'invalid_request', error.message, [
      { path: 'body.webhookUrl', message: 'expected a public https URL' },
    ]);
  }
}

/** A job in one of these has its reply (or its error): `answered` only awaits its webhook. */
const ENDED: readonly TurnRow['status'][] = ['answered', 'done', 'failed'];

/**
 * The answer to a message, first or resent: the job as a 200 when it ended within ?wait (as
 * OpenAPI documents it), else the 202 that says where to poll. `row` is the job as the wait
 * last saw it, or undefined when no ?wait was asked.
 */
function answerJob(
  c: { json: (body: unknown, status: 200 | 202) => Response },
  jobId: string,
  row: TurnRow | undefined,
  ids: CallerIds,
): Response {
  if (row && ENDED.includes(row.status)) return c.json(jobView(row, ids), 200);
  return c.json({ jobId, status: 'queued' as const, poll: `/v1/jobs/${jobId}` }, 202);
}

/**
 * The job after waiting up to `wait` seconds for it to end, or undefined when no wait was asked.
 * A Lambda must answer before its timeout: it waits only as long as the invocation has left.
 */
async function waitedJob(
  c: Context<ApiEnv>,
  deps: ApiDeps,
  jobId: string,
  wait: number,
): Promise<TurnRow | undefined> {
  const budget = waitBudget(c, wait * 1000);
  return budget > 0 ? waitForJob(deps, jobId, budget) : undefined;
}

/** Polls the job until it ends or `ms` pass; the API never holds a request longer than 25 s. */
async function waitForJob(deps: ApiDeps, jobId: string, ms: number): Promise<TurnRow | undefined> {
  const deadline = Date.now() + ms;
  const every = deps.waitPollMs ?? 100;
  for (;;) {
    const row = await deps.turns.get(jobId);
    if (!row || ENDED.includes(row.status) || Date.now() + every > deadline) return row;
    await new Promise((r) => setTimeout(r, every));
  }
}
