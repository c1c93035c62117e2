import { serve, type ServerType } from '@hono/node-server';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { AddressInfo } from 'node:net';
import { answerMcp } from '#core/api/stateless-mcp.ts';

export interface SdkMcpServer {
  /** `http://127.0.0.1:<port>/mcp` */
  url: string;
  /** The headers of every request that reached the server, in order. */
  requests: Headers[];
  stop(): Promise<void>;
}

export interface SdkMcpServerOptions {
  /** Adds the server's tools (`server.registerTool`); called for every request. */
  register: (server: McpServer) => void;
  /** When set, a request without `Authorization: Bearer <token>` is answered 401. */
  token?: string;
}

/**
 * An MCP server built with the SDK's McpServer, in this process, on 127.0.0.1: streamable HTTP
 * at `/mcp`, stateless, as the memory endpoint serves it. For what server-everything cannot
 * show: the headers a client sends, a server that checks a token, tools a test defines.
 *
 * @example
 * const server = await startSdkMcpServer({ token: 't0k', register: (s) => s.registerTool(...) });
 */
export async function startSdkMcpServer(options: SdkMcpServerOptions): Promise<SdkMcpServer> {
  const requests: Headers[] = [];
  const fetch = async (request: Request): Promise<Response> => {
    requests.push(request.headers);
    if (options.token && request.headers.get('authorization') !== `Bearer ${options.token}`) {
      return Response.json({ error: 'unauthorized' }, { status: 401 });
    }
    if (new URL(request.url).pathname !== '/mcp' || request.method !== 'POST') {
      return new Response(null, { status: 405, headers: { allow: 'POST' } });
    }
    const server = new McpServer({ name: 'test-tools', version: '1.0.0' });
    options.register(server);
    return answerMcp(request, server);
  };
  const http = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    requests,
    stop: () =>
      new Promise<void>((resolve) => {
        if ('closeAllConnections' in http) http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
}
