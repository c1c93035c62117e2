import {
  MCPServerSSE,
  MCPServerStdio,
  MCPServerStreamableHttp,
  createMCPToolStaticFilter,
  getLogger,
  type MCPServer,
} from '@openai/agents';
import { CarrierError } from '../errors.ts';
import { resolveHeaders, type McpConfig, type McpServerConfig, type SecretLookup } from './config.ts';

export interface SkippedServer {
  name: string;
  reason: string;
}

export interface McpPoolOptions {
  /** Lambda and the deployed runner refuse stdio servers; the local runner allows them. */
  allowStdio: boolean;
  env?: SecretLookup;
  secret?: SecretLookup;
  /** Called once per failed connection attempt; the turn goes on without that server. */
  warn?: (message: string) => void;
  /** How long a failed server is left alone before the next turn tries it again. */
  retryAfterMs?: number;
}

/**
 * The process-wide set of MCP connections: each server is connected once, on first use, and
 * reused by every later turn (its tools list is cached by the SDK when cache_tools_list is set).
 * A server that cannot be reached is skipped with a warning so the turn still answers.
 */
export class McpPool {
  private readonly connected = new Map<string, Promise<MCPServer>>();
  private readonly downUntil = new Map<string, number>();

  constructor(
    private readonly config: McpConfig,
    private readonly options: McpPoolOptions,
  ) {}

  async servers(names: readonly string[]): Promise<{ servers: MCPServer[]; skipped: SkippedServer[] }> {
    const results = await Promise.all(names.map(async (name) => this.get(name)));
    const servers: MCPServer[] = [];
    const skipped: SkippedServer[] = [];
    results.forEach((r, i) => {
      if ('server' in r) servers.push(r.server);
      else skipped.push({ name: names[i]!, reason: r.reason });
    });
    return { servers, skipped };
  }

  private async get(name: string): Promise<{ server: MCPServer } | { reason: string }> {
    const until = this.downUntil.get(name);
    if (until && until > Date.now()) return { reason: 'unreachable at the last attempt' };
    let pending = this.connected.get(name);
    if (!pending) {
      pending = this.connect(name);
      this.connected.set(name, pending);
    }
    try {
      return { server: await pending };
    } catch (error) {
      this.connected.delete(name);
      this.downUntil.set(name, Date.now() + (this.options.retryAfterMs ?? 30_000));
      const reason = error instanceof Error ? error.message : String(error);
      this.options.warn?.(`MCP server "${name}" skipped: ${reason}`);
      return { reason };
    }
  }

  private async connect(name: string): Promise<MCPServer> {
    const server = createServer(name, this.config, this.options);
    await server.connect();
    return server;
  }

  async close(): Promise<void> {
    const servers = await Promise.allSettled(this.connected.values());
    this.connected.clear();
    await Promise.allSettled(servers.map((s) => (s.status === 'fulfilled' ? s.value.close() : undefined)));
  }
}

/**
 * The SDK logs a failed connection as an error with an unhelpful object; the pool reports it
 * itself (one warning naming the server), so the SDK's errors go to its debug channel.
 */
const sdkLogger = (() => {
  const base = getLogger('carrier:mcp');
  return { ...base, error: base.debug };
})();

function createServer(name: string, config: McpConfig, options: McpPoolOptions): MCPServer {
  const entry: McpServerConfig | undefined = config.mcpServers[name];
  if (!entry)
    throw new CarrierError(
      `unknown MCP server "${name}"; define it in config/mcp_servers.json`,
      'mcp_unknown',
    );
  const common = {
    name,
    logger: sdkLogger,
    cacheToolsList: entry.cache_tools_list,
    timeout: entry.timeout_ms,
    clientSessionTimeoutSeconds: Math.ceil(entry.timeout_ms / 1000),
    ...(entry.allowed_tools
      ? { toolFilter: createMCPToolStaticFilter({ allowed: entry.allowed_tools }) }
      : {}),
  };
  if (entry.type === 'stdio') {
    if (!options.allowStdio) throw stdioRefused(name);
    return new MCPServerStdio({
      ...common,
      command: entry.command,
      args: entry.args,
      env: entry.env,
      cwd: entry.cwd,
    });
  }
  const env = options.env ?? ((n: string) => process.env[n]);
  const headers = resolveHeaders(name, entry.headers, { env, secret: options.secret ?? env });
  const requestInit = { headers };
  return entry.type === 'sse'
    ? new MCPServerSSE({ ...common, url: entry.url, requestInit })
    : new MCPServerStreamableHttp({ ...common, url: entry.url, requestInit });
}

export function stdioRefused(name: string): CarrierError {
  return new CarrierError(
    `MCP server "${name}" is stdio, which runs only in the local runner; expose it over HTTP ` +
      `(for example with an MCP streamable-HTTP gateway) and set type "streamable-http" with its url in config/mcp_servers.json`,
    'mcp_stdio_refused',
  );
}
