import { Hono } from 'hono';
import { requireScope, type ApiEnv } from '../auth.ts';
import type { ApiDeps, MemoryAdmin } from '../deps.ts';
import { callerApiId, storedApiId, tenantPrefix } from '../../turns/api-ids.ts';
import { ApiError } from '../errors.ts';
import { forgetQuery, memoriesQuery } from '../schemas.ts';
import { query } from '../validate.ts';
import { knownAgent } from './known-agent.ts';

/**
 * GET and DELETE /agents/{id}/memories: what an agent remembers of the caller's tenant, and
 * forgetting one of its users. Ids are read and shown in the tenant's namespace (api-ids.ts): a
 * tenant never sees, searches or forgets another tenant's or a Discord user's memories.
 */
export function memoriesRoutes(deps: ApiDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();

  app.get('/agents/:id/memories', requireScope('memories:read'), async (c) => {
    const agentId = c.req.param('id');
    const { tenant } = c.get('principal');
    const q = query(c, memoriesQuery);
    await knownAgent(deps, agentId, c.get('principal'));
    const memories = await admin(deps).search({
      agentId,
      limit: q.limit,
      ...(q.query ? { query: q.query } : {}),
      ...(q.userId ? { userId: storedApiId(tenant, q.userId) } : { usersWithin: tenantPrefix(tenant) }),
      ...(q.roomId ? { roomId: storedApiId(tenant, q.roomId) } : {}),
      ...(q.type ? { type: q.type } : {}),
    });
    return c.json({
      memories: memories.map((m) => ({
        ...m,
        userId: callerApiId(tenant, m.userId),
        roomId: callerApiId(tenant, m.roomId),
      })),
    });
  });

  app.delete('/agents/:id/memories', requireScope('memories:write'), async (c) => {
    const agentId = c.req.param('id');
    const { tenant } = c.get('principal');
    const { userId } = query(c, forgetQuery);
    await knownAgent(deps, agentId, c.get('principal'));
    return c.json(await admin(deps).forget({ agentId, userId: storedApiId(tenant, userId) }));
  });

  return app;
}

function admin(deps: ApiDeps): MemoryAdmin {
  if (!deps.memories)
    throw new ApiError(501, 'not_configured', 'this deployment has no memory store configured');
  return deps.memories;
}
