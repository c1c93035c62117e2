import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CarrierError } from '../../errors.ts';
import { ProbeError } from '../../doctor/check.ts';
import { resolveHeaders, type McpServerConfig } from '../../mcp/config.ts';
import { networkReason, statusProbeError } from './reason.ts';

/**
 * Connects to an MCP server the way the runner would (same transport, same resolved headers),
 * lists its tools and disconnects. Uses the MCP SDK's client directly: the agents SDK's wrapper
 * adds nothing a tools list needs and costs a few hundred milliseconds to load.
 *
 * @example
 * await probeMcpTools('everything', { type: 'streamable-http', url, … }, (n) => process.env[n]); // ['echo', …]
 */
export async function probeMcpTools(
  name: string,
  server: McpServerConfig,
  env: (name: string) => string | undefined,
): Promise<string[]> {
  const transport = transportFor(name, server, env);
  const client = new Client({ name: 'carrier-doctor', version: '1' });
  const timeout = server.timeout_ms;
  try {
    await client.connect(transport, { timeout });
    const { tools } = await client.listTools({}, { timeout });
    return tools.map((t) => t.name);
  } catch (error) {
    if (error instanceof ProbeError) throw error;
    const code = (error as { code?: unknown }).code;
    const status = typeof code === 'number' && code >= 400 && code < 600 ? code : undefined;
    // A refused connection surfaces as a transport error without an HTTP status.
    throw status
      ? statusProbeError(status, `HTTP ${status}`, error)
      : new ProbeError(networkReason(error), 'unreachable', { cause: error });
  } finally {
    await client.close().catch(() => undefined);
  }
}

function transportFor(name: string, server: McpServerConfig, env: (name: string) => string | undefined) {
  if (server.type === 'stdio') {
    return new StdioClientTransport({
      command: server.command,
      args: server.args,
      ...(server.env ? { env: server.env } : {}),
      ...(server.cwd ? { cwd: server.cwd } : {}),
      stderr: 'ignore',
    });
  }
  let headers: Record<string, string>;
  try {
    headers = resolveHeaders(name, server.headers, { env, secret: env });
  } catch (error) {
    if (error instanceof CarrierError) throw new ProbeError(error.message, 'missing', { cause: error });
    throw error;
  }
  const url = new URL(server.url);
  if (server.type === 'sse') {
    return new SSEClientTransport(url, { requestInit: { headers } });
  }
  return new StreamableHTTPClientTransport(url, { requestInit: { headers } });
}
