import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';

/**
 * Answers one MCP request (a JSON-RPC message or batch POSTed by the client) with `server`,
 * built for this request alone: stateless (no session id, since Lambda gives no request the
 * same container as the last) and one JSON body per answer (an API Gateway HTTP API cannot
 * stream). The server is closed once the answer is ready.
 *
 * @example
 * app.post('/mcp', (c) => answerMcp(c.req.raw, buildServer()));
 */
export async function answerMcp(request: Request, server: McpServer): Promise<Response> {
  const transport = new WebStandardStreamableHTTPServerTransport({ enableJsonResponse: true });
  await server.connect(transport);
  try {
    return await transport.handleRequest(request);
  } finally {
    await server.close();
  }
}
