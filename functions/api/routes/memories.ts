import { Hono } from 'hono';
import { requireScope, type ApiEnv } from '../auth.ts';
import type { ApiDeps } from '../deps.ts';
import { memoryAccess } from '../memory-access.ts';
import { addFactBody, forgetQuery, memoriesQuery } from '../schemas.ts';
import { jsonBody, query } from '../validate.ts';
import { knownAgent } from './known-agent.ts';

/**
 * GET, POST and DELETE /agents/{id}/memories: what an agent remembers of the caller's tenant,
 * telling it a fact about a user, and forgetting one of its users. Ids are read and shown in the tenant's namespace (api-ids.ts): a
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

  app.post('/agents/:id/memories', requireScope('memories:write'), async (c) => {
    const agentId = c.req.param('id');
    const { userId, text } = await jsonBody(c, addFactBody);
    await knownAgent(deps, agentId, c.get('principal'));
    return c.json(await memoryAccess(deps, c.get('principal'), agentId).addFact(userId, text), 201);
  });

  app.delete('/agents/:id/memories', requireScope('memories:write'), async (c) => {
    const agentId = c.req.param('id');
    const { userId } = query(c, forgetQuery);
    await knownAgent(deps, agentId, c.get('principal'));
    return c.json(await memoryAccess(deps, c.get('principal'), agentId).forget(userId));
  });

  return app;
}
