import { Hono } from 'hono';
import { randomUUID } from 'node:crypto';
import type { TurnRow } from '../../jobs/turn-repository.ts';
import { hasScope } from '../../keys/api-keys.ts';
import { turnRequestSchema, type TurnRequest } from '../../queue/turn-request.ts';
import { requireScope, type ApiEnv } from '../auth.ts';
import type { ApiDeps } from '../deps.ts';
import { ApiError } from '../errors.ts';
import { storedApiId } from '../api-ids.ts';
import { jobView } from '../job-view.ts';
import { sendMessageBody, sendMessageQuery } from '../schemas.ts';
import { jsonBody, query } from '../validate.ts';
import { knownAgent } from './known-agent.ts';

/**
 * POST /agents/{id}/messages and GET /jobs/{id}. The job row is written before the message is
 * queued, so a job is never lost between the two: if the queue refuses, the job is marked
 * failed and the caller gets a 503 to retry.
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
    if (body.webhookUrl?.startsWith('http:') && !deps.allowHttpWebhooks) {
      throw new ApiError(400, 'invalid_request', 'webhookUrl must use https', [
        { path: 'body.webhookUrl', message: 'expected an https URL' },
      ]);
    }
    const principal = c.get('principal');
    const jobId = newId();
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
    await deps.turns.createJob(request, principal.keyId);
    try {
      await deps.queue.enqueue(request);
    } catch (error) {
      await deps.turns.fail(jobId, 0, 'the queue refused the message', { status: 'skipped' });
      deps.log?.error('enqueue failed', {
        jobId,
        error: error instanceof Error ? error.message : String(error),
      });
      throw new ApiError(503, 'queue_unavailable', 'the message could not be queued; send it again');
    }
    const row = wait > 0 ? await waitForJob(deps, jobId, wait * 1000) : undefined;
    if (row && (row.status === 'done' || row.status === 'answered' || row.status === 'failed')) {
      return c.json(jobView(row), 200);
    }
    return c.json({ jobId, status: 'queued' as const, poll: `/v1/jobs/${jobId}` }, 202);
  });

  app.get('/jobs/:id', requireScope('messages'), async (c) => {
    const row = await deps.turns.get(c.req.param('id'));
    const principal = c.get('principal');
    // Another key's job is reported as missing, so job ids cannot be probed.
    if (!row || row.source !== 'api' || (row.api_key_id !== principal.keyId && !hasScope(principal, '*'))) {
      throw new ApiError(404, 'not_found', `no job ${c.req.param('id')} for this API key`);
    }
    return c.json(jobView(row));
  });

  return app;
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
