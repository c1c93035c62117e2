import { Hono } from 'hono';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { requireScope, type ApiEnv } from '../auth.ts';
import { ApiError } from '../errors.ts';
import type { RouteDoc } from '../openapi.ts';
import { newScheduleBody, scheduleView } from '../schedule-schemas.ts';
import { errorSchema } from '../schemas.ts';
import { jsonBody } from '../validate.ts';
import {
  createSchedule,
  deleteSchedule,
  ScheduleLimitError,
  type ManageDeps,
} from '../../schedules/manage.ts';
import type { Schedule } from '../../schedules/schedule.ts';
import { storedApiId } from '../../turns/api-ids.ts';
import { assertPublicWebhook, WebhookTargetError } from '../../webhooks/webhook-target.ts';

/** Live API schedules one key may have per agent. */
export const API_SCHEDULE_LIMIT = 50;

export interface SchedulesRoutesDeps extends ManageDeps {
  characterIds(): Promise<string[]>;
  allowHttpWebhooks?: boolean;
  now?: () => Date;
}

/** Whose schedules these are: the key's tenant, so no schedule is seen across tenants. */
const ownerOf = (principal: { tenant: string }) => `tenant:${principal.tenant}`;

/**
 * POST/GET/DELETE /v1/agents/{id}/schedules (scope `schedules`). A tenant sees and deletes its
 * own schedules, and sees the character file's; never another tenant's. Firings run as the
 * caller's user in the caller's conversation (stored with the API prefix), like messages.
 */
export function schedulesRoutes(deps: SchedulesRoutesDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  const now = deps.now ?? (() => new Date());
  app.use('/agents/:id/schedules', requireScope('schedules'));
  app.use('/agents/:id/schedules/*', requireScope('schedules'));

  app.post('/agents/:id/schedules', async (c) => {
    const agentId = await known(deps, c.req.param('id'));
    const body = await jsonBody(c, newScheduleBody);
    if (body.timing.kind === 'at' && new Date(body.timing.at) <= now())
      throw new ApiError(400, 'invalid_request', '"at" is in the past; give a future time', [
        { path: 'body.at', message: 'in the past' },
      ]);
    if (body.deliver.kind === 'webhook') await acceptWebhook(body.deliver.url, deps);
    const principal = c.get('principal');
    const { tenant, keyId } = principal;
    const owner = ownerOf(principal);
    const caller = body.userId ?? keyId;
    try {
      const schedule = await createSchedule(
        {
          key: `a.${createHash('sha256').update(`${owner}\n${agentId}\n${body.id}`).digest('base64url').slice(0, 32)}`,
          agentId,
          id: body.id,
          source: 'api',
          owner,
          timing: body.timing,
          prompt: body.prompt,
          conversation: storedApiId(tenant, body.conversationId ?? `user:${caller}`),
          user: { id: storedApiId(tenant, caller) },
          deliver: body.deliver,
          createdAt: now(),
        },
        { limit: API_SCHEDULE_LIMIT, what: "this API key's tenant" },
        deps,
      );
      return c.json({ schedule: view(schedule) }, 201);
    } catch (error) {
      if (error instanceof ScheduleLimitError) throw new ApiError(409, 'schedule_limit', error.message);
      throw error;
    }
  });

  app.get('/agents/:id/schedules', async (c) => {
    const agentId = await known(deps, c.req.param('id'));
    const owner = ownerOf(c.get('principal'));
    const [own, fromFile] = await Promise.all([
      deps.schedules.list({ agentId, owner }),
      deps.schedules.list({ agentId, source: 'character' }),
    ]);
    return c.json({ schedules: [...fromFile, ...own].map(view) });
  });

  app.delete('/agents/:id/schedules/:sid', async (c) => {
    const agentId = await known(deps, c.req.param('id'));
    const owner = ownerOf(c.get('principal'));
    const mine = (await deps.schedules.list({ agentId, owner })).find((s) => s.id === c.req.param('sid'));
    const gone = mine && (await deleteSchedule(mine.key, owner, deps));
    if (!gone)
      throw new ApiError(
        404,
        'not_found',
        `no schedule "${c.req.param('sid')}" of this tenant for ${agentId}`,
      );
    return c.json({ schedule: view(gone) });
  });
  return app;
}

async function known(deps: SchedulesRoutesDeps, agentId: string): Promise<string> {
  const ids = await deps.characterIds();
  if (!ids.includes(agentId))
    throw new ApiError(
      404,
      'unknown_agent',
      `no agent "${agentId}"; known agents: ${ids.join(', ') || 'none'}`,
    );
  return agentId;
}

async function acceptWebhook(url: string, deps: SchedulesRoutesDeps): Promise<void> {
  try {
    await assertPublicWebhook(url, { allowLocal: deps.allowHttpWebhooks ?? false });
  } catch (error) {
    if (!(error instanceof WebhookTargetError)) throw error;
    throw new ApiError(400, 'invalid_request', error.message, [
      { path: 'body.deliver.webhook', message: 'expected a public https URL' },
    ]);
  }
}

function view(s: Schedule): z.output<typeof scheduleView> {
  return {
    id: s.id,
    key: s.key,
    agentId: s.agentId,
    source: s.source,
    timing: s.timing,
    prompt: s.prompt,
    deliver: s.deliver,
    createdAt: s.createdAt.toISOString(),
    lastFiredAt: s.lastFiredAt?.toISOString() ?? null,
  };
}

const one = z.object({ schedule: scheduleView });

export const SCHEDULES_ROUTE_DOCS: RouteDoc[] = [
  {
    method: 'post',
    path: '/v1/agents/{id}/schedules',
    summary:
      'Schedule turns: recurring (cron or rate) or once (at); each firing runs the prompt and delivers its reply',
    scope: 'schedules',
    body: newScheduleBody,
    responses: {
      201: { description: 'the schedule', schema: one },
      404: { description: 'unknown agent', schema: errorSchema },
      409: {
        description: `this tenant already has ${API_SCHEDULE_LIMIT} live schedules for the agent`,
        schema: errorSchema,
      },
    },
  },
  {
    method: 'get',
    path: '/v1/agents/{id}/schedules',
    summary: "The character file's schedules and this tenant's own",
    scope: 'schedules',
    responses: { 200: { description: 'schedules', schema: z.object({ schedules: z.array(scheduleView) }) } },
  },
  {
    method: 'delete',
    path: '/v1/agents/{id}/schedules/{sid}',
    summary: "Delete one of this tenant's schedules",
    scope: 'schedules',
    responses: {
      200: { description: 'the deleted schedule', schema: one },
      404: { description: 'no such schedule of this tenant', schema: errorSchema },
    },
  },
];

/** The schedules endpoints ready to mount on the API app, with their OpenAPI entries. */
export function schedulesApi(deps: SchedulesRoutesDeps) {
  return { path: '/', app: schedulesRoutes(deps), docs: SCHEDULES_ROUTE_DOCS };
}
