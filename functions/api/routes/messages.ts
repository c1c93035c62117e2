import { IDEMPOTENCY_KEY } from '../../http/idempotency-key.ts';
import { Hono, type Context } from 'hono';
import { createHash, randomUUID } from 'node:crypto';
import type { TurnRow } from '../../ports/turns.ts';
import { turnRequestSchema, type TurnRequest } from '../../ports/turn-request.ts';
import { requireScope, type ApiEnv } from '../auth.ts';
import type { ApiDeps } from '../deps.ts';
import { ApiError } from '../errors.ts';
import { storedApiId } from '../../turns/api-ids.ts';
import { assertPublicWebhook, WebhookTargetError } from '../../webhooks/webhook-target.ts';
import { waitBudget } from '../deadline.ts';
import { jobView } from '../job-view.ts';
import { ownedJob } from '../job-access.ts';
import { sendMessageBody, sendMessageQuery } from '../schemas.ts';
import { jsonBody, query } from '../validate.ts';
import { knownAgent } from './known-agent.ts';

/**
 * POST /agents/{id}/messages and GET /jobs/{id}. The job row is written before the message is
 * queued, so a job is never lost between the two: if the queue refuses, the job is marked
 * failed and the caller gets a 503 to retry. With an `Idempotency-Key` header the job id is
 * derived from the API key and the header, so a resend finds the same job (one reply).
 */
export function messagesRoutes(deps: ApiDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  const newId = deps.newId ?? randomUUID;
  const now = deps.now ?? (() => new Date());

  app.post('/agents/:id/messages', requireScope('messages'), async (c) => {
    const agentId = c.req.param('id');
    const { wait } = query(c, sendMessageQuery);
    const body = await jsonBody(c, sendMessageBody);
    await knownAgent(deps, agentId);
    if (body.webhookUrl) await acceptWebhook(body.webhookUrl, deps);
    const principal = c.get('principal');
    const idempotencyKey = c.req.header('idempotency-key');
    const jobId = idempotencyKey === undefined ? newId() : idempotentJobId(principal.keyId, idempotencyKey);
    // Namespaced (see api-ids.ts): an API caller can never speak as a Discord user or channel.
    const userId = storedApiId(body.userId ?? principal.keyId);
    const request: TurnRequest = turnRequestSchema.parse({
      id: jobId,
      character: agentId,
      conversation: storedApiId(body.conversationId ?? `${principal.keyId}:${body.userId ?? 'default'}`),
      user: { id: userId, ...(body.userName ? { name: body.userName } : {}) },
      text: body.text,
      source: 'api',
      reply: { kind: 'api', jobId, ...(body.webhookUrl ? { webhookUrl: body.webhookUrl } : {}) },
      receivedAt: now().toISOString(),
    });
    const job = await deps.turns.createJob(request, principal.keyId);
    if (job.request?.receivedAt !== request.receivedAt) return resent(c, job, request);
    try {
      await deps.queue.enqueue(request);
    } catch (error) {
      await deps.turns.fail(jobId, 0, 'the queue refused the message', { status: 'skipped' });
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
    // A Lambda must answer before its timeout: wait only as long as the invocation has left.
    const budget = waitBudget(c, wait * 1000);
    const row = budget > 0 ? await waitForJob(deps, jobId, budget) : undefined;
    if (row && (row.status === 'done' || row.status === 'answered' || row.status === 'failed')) {
      return c.json(jobView(row), 200);
    }
    return c.json({ jobId, status: 'queued' as const, poll: `/v1/jobs/${jobId}` }, 202);
  });

  app.get('/jobs/:id', requireScope('messages'), async (c) => {
    return c.json(jobView(await ownedJob(deps.turns, c.req.param('id'), c.get('principal'))));
  });

  return app;
}

/** The webhook target is checked now, and again before each send (webhook-target.ts). */
async function acceptWebhook(url: string, deps: ApiDeps): Promise<void> {
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

/**
 * The job id of a keyed request: the same API key and header always name the same job, and
 * different keys never share one.
 */
function idempotentJobId(keyId: string, header: string): string {
  if (!IDEMPOTENCY_KEY.test(header)) {
    throw new ApiError(400, 'invalid_request', 'Idempotency-Key must be 1-255 printable ASCII characters', [
      { path: 'header.idempotency-key', message: 'use e.g. a UUID per message' },
    ]);
  }
  return `idem_${createHash('sha256').update(`${keyId}\n${header}`).digest('base64url').slice(0, 32)}`;
}

/**
 * A resend of a keyed request: the job exists, so nothing is queued again. The same key with a
 * different message is a caller's bug and is refused rather than answered with another reply.
 */
function resent(c: Context<ApiEnv>, job: TurnRow, request: TurnRequest) {
  const same =
    job.agent_id === request.character &&
    job.request?.text === request.text &&
    job.conversation === request.conversation &&
    job.user_id === request.user.id;
  if (!same) {
    throw new ApiError(
      409,
      'idempotency_key_reused',
      'this Idempotency-Key was used for a different message; use a new key for each message',
    );
  }
  const view = jobView(job);
  return view.status === 'done' || view.status === 'failed'
    ? c.json(view, 200)
    : c.json({ jobId: job.id, status: view.status, poll: `/v1/jobs/${job.id}` }, 202);
}

/** Polls the job until it ends or `ms` pass; the API never holds a request longer than 25 s. */
async function waitForJob(deps: ApiDeps, jobId: string, ms: number): Promise<TurnRow | undefined> {
  const deadline = Date.now() + ms;
  const every = deps.waitPollMs ?? 100;
  for (;;) {
    const row = await deps.turns.get(jobId);
    if (!row || ['answered', 'done', 'failed'].includes(row.status) || Date.now() + every > deadline)
      return row;
    await new Promise((r) => setTimeout(r, every));
  }
}
