import { Hono } from 'hono';
import { requireScope, type ApiEnv } from '../auth.ts';
import type { ApiDeps, MemoryAdmin } from '../deps.ts';
import { callerApiId, storedApiId } from '../../turns/api-ids.ts';
import { ApiError } from '../errors.ts';
import { forgetQuery, memoriesQuery } from '../schemas.ts';
import { query } from '../validate.ts';
import { knownAgent } from './known-agent.ts';

/** GET and DELETE /agents/{id}/memories: what an agent remembers, and forgetting a user. */
export function memoriesRoutes(deps: ApiDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();

  app.get('/agents/:id/memories', requireScope('memories:read'), async (c) => {
    const agentId = c.req.param('id');
    const q = query(c, memoriesQuery);
    await knownAgent(deps, agentId);
    const memories = await admin(deps).search({
      agentId,
      limit: q.limit,
      ...(q.query ? { query: q.query } : {}),
      // The same namespace as messages (api-ids.ts): a caller reads back the ids it sent.
      ...(q.userId ? { userId: storedApiId(q.userId) } : {}),
      ...(q.roomId ? { roomId: storedApiId(q.roomId) } : {}),
      ...(q.type ? { type: q.type } : {}),
    });
    return c.json({
      memories: memories.map((m) => ({ ...m, userId: callerApiId(m.userId), roomId: callerApiId(m.roomId) })),
    });
  });

  app.delete('/agents/:id/memories', requireScope('memories:write'), async (c) => {
    const agentId = c.req.param('id');
    const { userId } = query(c, forgetQuery);
    await knownAgent(deps, agentId);
    return c.json(await admin(deps).forget({ agentId, userId: storedApiId(userId) }));
  });

  return app;
}

function admin(deps: ApiDeps): MemoryAdmin {
  if (!deps.memories)
    throw new ApiError(501, 'not_configured', 'this deployment has no memory store configured');
  return deps.memories;
}
