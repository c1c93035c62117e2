import { Hono } from 'hono';
import { requireScope, type ApiEnv } from '../auth.ts';
import type { ApiDeps } from '../deps.ts';
import { memoryAccess } from '../memory-access.ts';
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
    const q = query(c, memoriesQuery);
    await knownAgent(deps, agentId, c.get('principal'));
    return c.json({ memories: await memoryAccess(deps, c.get('principal'), agentId).search(q) });
  });

  app.delete('/agents/:id/memories', requireScope('memories:write'), async (c) => {
    const agentId = c.req.param('id');
    const { userId } = query(c, forgetQuery);
    await knownAgent(deps, agentId, c.get('principal'));
    return c.json(await memoryAccess(deps, c.get('principal'), agentId).forget(userId));
  });

  return app;
}
