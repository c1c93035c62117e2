import { Hono } from 'hono';
import { createMiddleware } from 'hono/factory';
import { z } from 'zod';
import { hasScope, type Principal } from '../../ports/api-keys.ts';
import type { JobHistory } from '../../ports/job-history.ts';
import type { TurnRepository } from '../../ports/turns.ts';
import { callerApiId, storedApiId } from '../../turns/api-ids.ts';
import { requireScope, type ApiEnv } from '../auth.ts';
import type { ApiDeps } from '../deps.ts';
import {
  conversationListQuery,
  conversationSchema,
  jobListQuery,
  jobListSchema,
  traceSchema,
  type TraceView,
} from '../history-schemas.ts';
import { ApiError } from '../errors.ts';
import { ownedJob } from '../job-access.ts';
import { jobView } from '../job-view.ts';
import type { RouteDoc } from '../openapi.ts';
import { errorSchema } from '../schemas.ts';
import { query } from '../validate.ts';
import { knownAgent } from './known-agent.ts';

/**
 * The listings cover a whole tenant, as posts, schedules and usage do, so they are for the app's
 * API keys: a signed-in user reads its own jobs one by one (GET /jobs/{id}, its trace).
 */
const keysOnly = createMiddleware<ApiEnv>(async (c, next) => {
  if (c.get('principal').subject) {
    throw new ApiError(
      403,
      'forbidden',
      "listing jobs and conversations covers the tenant's users: call it with an API key, not a signed-in user's access token",
    );
  }
  await next();
});

export interface JobHistoryDeps {
  history: JobHistory;
  turns: Pick<TurnRepository, 'get'>;
  agents: ApiDeps['agents'];
}

/**
 * GET /jobs (a tenant's jobs, newest first), GET /agents/{id}/conversations and
 * GET /jobs/{id}/trace (what a turn recalled, which tools it called, its timings): what the
 * console lists. Scope `messages`, as for GET /jobs/{id}; a trace shows recalled memories only
 * to a key that may read memories. Nothing of another tenant is listed or found.
 */
export function jobHistoryRoutes(deps: JobHistoryDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  app.get('/jobs', requireScope('messages'), keysOnly, async (c) => {
    const q = query(c, jobListQuery);
    const principal = c.get('principal');
    const { tenant } = principal;
    // Either filter naming nothing is a mistake, not an empty page that reads as "no jobs".
    if (q.agentId) await knownAgent(deps, q.agentId, principal);
    if (q.after) await assertPageCursor(deps.turns, q.after, principal);
    const rows = await deps.history.jobs(tenant, {
      limit: q.limit,
      ...(q.agentId ? { agentId: q.agentId } : {}),
      ...(q.conversationId ? { conversation: storedApiId(tenant, q.conversationId) } : {}),
      ...(q.before ? { before: new Date(q.before) } : {}),
      ...(q.after ? { afterId: q.after } : {}),
    });
    return c.json({
      jobs: rows.map((row) => jobView(row)),
      next: rows.length === q.limit ? rows.at(-1)!.id : null,
    });
  });

  app.get('/agents/:id/conversations', requireScope('messages'), keysOnly, async (c) => {
    const q = query(c, conversationListQuery);
    const principal = c.get('principal');
    const { id } = await knownAgent(deps, c.req.param('id'), principal);
    const found = await deps.history.conversations(principal.tenant, id, q.limit);
    return c.json({
      conversations: found.map((s) => ({
        conversationId: callerApiId(principal.tenant, s.conversation) ?? '',
        userId: callerApiId(principal.tenant, s.userId) ?? '',
        jobs: s.jobs,
        lastAt: s.lastAt,
        lastText: s.lastText,
      })),
    });
  });

  app.get('/jobs/:id/trace', requireScope('messages'), async (c) => {
    const principal = c.get('principal');
    const row = await ownedJob(deps.turns, c.req.param('id'), principal);
    const trace = row.trace ?? { recalled: [], tools: [] };
    const view: TraceView = {
      job: jobView(row),
      timings: row.timings ?? null,
      model: row.result?.model ?? null,
      ...(hasScope(principal, 'memories:read') ? { recalled: trace.recalled } : {}),
      tools: trace.tools,
      notices: row.result?.notices ?? [],
    };
    return c.json(view);
  });
  return app;
}

/**
 * Checks that ?after= is a page's `next`: the id of a job of this tenant. Anything else (a typo,
 * a cut-off id, another tenant's job) is a 400 naming the parameter and what it takes, rather
 * than a 404 for a job the caller never meant to fetch; another tenant's job is refused with the
 * same words, so job ids cannot be probed.
 */
async function assertPageCursor(
  turns: JobHistoryDeps['turns'],
  after: string,
  principal: Principal,
): Promise<void> {
  try {
    await ownedJob(turns, after, principal);
  } catch (error) {
    if (!(error instanceof ApiError) || error.code !== 'not_found') throw error;
    throw new ApiError(
      400,
      'invalid_request',
      `after must be the \`next\` value of an earlier page of GET /v1/jobs, and "${after.slice(0, 128)}" is not one: leave it out for the first page`,
      [{ path: 'query.after', message: "expected the previous page's `next`" }],
    );
  }
}

export const JOB_HISTORY_ROUTE_DOCS: RouteDoc[] = [
  {
    method: 'get',
    path: '/v1/jobs',
    summary: "This tenant's jobs, newest first (by agent or conversation; page with ?after=<next>)",
    scope: 'messages',
    query: jobListQuery,
    responses: {
      200: { description: 'jobs', schema: jobListSchema },
      404: { description: 'unknown agent (?agentId=)', schema: errorSchema },
    },
  },
  {
    method: 'get',
    path: '/v1/agents/{id}/conversations',
    summary: "This tenant's conversations with an agent, the latest first",
    scope: 'messages',
    query: conversationListQuery,
    responses: {
      200: { description: 'conversations', schema: z.object({ conversations: z.array(conversationSchema) }) },
      404: { description: 'unknown agent', schema: errorSchema },
    },
  },
  {
    method: 'get',
    path: '/v1/jobs/{id}/trace',
    summary:
      'How a job was answered: timings, model, recalled memories, tool calls with arguments and outputs',
    scope: 'messages',
    responses: {
      200: { description: 'the trace', schema: traceSchema },
      404: { description: 'no such job for this key', schema: errorSchema },
    },
  },
];

/** The history routes for the API's extra routes (mounted under /v1 behind the key check). */
export function jobHistoryApi(deps: JobHistoryDeps) {
  return { path: '/', app: jobHistoryRoutes(deps), docs: JOB_HISTORY_ROUTE_DOCS };
}
