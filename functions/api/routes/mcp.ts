import { Hono } from 'hono';
import { requireScope, type ApiEnv } from '../auth.ts';
import type { ApiDeps } from '../deps.ts';
import { ApiError } from '../errors.ts';
import { memoryAccess } from '../memory-access.ts';
import type { RouteDoc } from '../openapi.ts';
import { errorSchema } from '../schemas.ts';
import { knownAgent } from './known-agent.ts';

const PATH = '/agents/:id/mcp';

/** The MCP endpoint in the OpenAPI document (its body is JSON-RPC, described by the MCP spec). */
export const MCP_ROUTE_DOCS: RouteDoc[] = [
  {
    method: 'post',
    path: '/v1/agents/{id}/mcp',
    summary:
      "The agent's memory as an MCP server (streamable HTTP, stateless, JSON responses): search_memories, list_recent; add_fact and forget_user with memories:write",
    scope: 'memories:read',
    responses: {
      200: { description: 'the JSON-RPC response' },
      202: { description: 'a notification was accepted' },
      404: { description: 'unknown agent', schema: errorSchema },
    },
  },
];

/**
 * POST /agents/{id}/mcp: one character's memory over MCP's streamable HTTP transport, so
 * another agent or a desktop MCP client uses Carrier memory directly (memory-mcp.ts,
 * stateless-mcp.ts). The MCP SDK is loaded on the first MCP request, so the API's other routes
 * do not pay for evaluating it at cold start.
 *
 * @example
 * v1.route('/', mcpRoutes(deps)); // POST /v1/agents/ada/mcp with Authorization: Bearer <key>
 */
export function mcpRoutes(deps: ApiDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();

  app.post(PATH, requireScope('memories:read'), async (c) => {
    const principal = c.get('principal');
    const agent = await knownAgent(deps, c.req.param('id'), principal);
    const memories = memoryAccess(deps, principal, agent.id);
    const [{ memoryMcpServer }, { answerMcp }] = await Promise.all([
      import('../memory-mcp.ts'),
      import('../stateless-mcp.ts'),
    ]);
    const server = memoryMcpServer({
      agent,
      principal,
      memories,
      version: deps.version ?? '0.1.0',
      ...(deps.log ? { log: deps.log } : {}),
    });
    return answerMcp(c.req.raw, server);
  });

  // A stateless server has no stream to open with GET and no session to end with DELETE; MCP
  // clients take 405 as "none here" and go on with POST alone.
  app.on(['GET', 'DELETE'], PATH, (c) => {
    c.header('Allow', 'POST');
    throw new ApiError(
      405,
      'method_not_allowed',
      `${c.req.method} is not served: this MCP endpoint is stateless; send JSON-RPC messages with POST`,
    );
  });

  return app;
}
