import {
  MCPServerSSE,
  MCPServerStdio,
  MCPServerStreamableHttp,
  createMCPToolStaticFilter,
  getLogger,
  type MCPServer,
} from '@openai/agents';
import { CarrierError } from '../errors.ts';
import {
  resolveHeaders,
  STDIO_OVER_HTTP_ADVICE,
  type McpConfig,
  type McpServerConfig,
  type SecretLookup,
} from './config.ts';
import { mcpUrlRefused, type McpOutbound } from './outbound.ts';

export interface SkippedServer {
  name: string;
  reason: string;
}

export interface McpPoolOptions {
  /** Lambda and the deployed runner refuse stdio servers; the local runner allows them. */
  allowStdio: boolean;
  /**
   * Where remote servers may be: deployed `reach: 'public'`, and the pinned fetch the SDK's
   * transports connect through, so a server name that rebinds to an internal address is refused
   * on the connection itself.
   */
  outbound: McpOutbound;
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
  private readonly retired = new Set<Promise<MCPServer>>();

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
      const reason = messageOf(error);
      this.options.warn?.(`MCP server "${name}" skipped: ${reason}`);
      return { reason };
    }
  }

  private async connect(name: string): Promise<MCPServer> {
    const server = createServer(name, this.config, this.options, (error) => this.evict(name, error));
    try {
      await server.connect();
    } catch (error) {
      // A half-open connection can hold a child process (stdio) or a session: release it.
      await server.close().catch(() => undefined);
      throw error;
    }
    return server;
  }

  /**
   * A tool call that throws usually means the session or transport is gone (a restarted server,
   * an expired session): drop the connection so the next turn connects afresh.
   */
  private evict(name: string, error: unknown): void {
    const pending = this.connected.get(name);
    if (!pending) return;
    this.connected.delete(name);
    this.options.warn?.(`MCP server "${name}" failed a call and will reconnect: ${messageOf(error)}`);
    // The turn that saw the failure still holds this server: closing it now would hang that turn,
    // so it is closed once any turn could have finished with it (or when the pool closes).
    this.retired.add(pending);
    setTimeout(() => void this.retire(pending), RETIRE_AFTER_MS).unref();
  }

  private async retire(pending: Promise<MCPServer>): Promise<void> {
    if (!this.retired.delete(pending)) return;
    await pending.then((server) => server.close()).catch(() => undefined);
  }

  async close(): Promise<void> {
    await Promise.all([...this.retired].map((pending) => this.retire(pending)));
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

/** Longer than a turn's default budget, so no turn still uses a retired connection. */
const RETIRE_AFTER_MS = 90_000;

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

function createServer(
  name: string,
  config: McpConfig,
  options: McpPoolOptions,
  onCallError: (error: unknown) => void,
): MCPServer {
  const entry: McpServerConfig | undefined = config.mcpServers[name];
  if (!entry)
    throw new CarrierError(
      `unknown MCP server "${name}"; define it in config/mcp_servers.json`,
      'mcp_unknown',
    );
  const common = {
    name,
    logger: sdkLogger,
    // The model is told the call failed (and can answer anyway); the pool reconnects next turn.
    errorFunction: ({ error }: { error: unknown }) => {
      onCallError(error);
      return `The ${name} tool server failed this call: ${messageOf(error)}`;
    },
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
  const refused = mcpUrlRefused(name, entry.url, options.outbound.reach);
  if (refused) throw refused;
  const env = options.env ?? ((n: string) => process.env[n]);
  const headers = resolveHeaders(name, entry.headers, { env, secret: options.secret ?? env });
  const remote = { ...common, url: entry.url, requestInit: { headers }, fetch: options.outbound.fetch };
  return entry.type === 'sse' ? new MCPServerSSE(remote) : new MCPServerStreamableHttp(remote);
}

export function stdioRefused(name: string): CarrierError {
  return new CarrierError(
    `MCP server "${name}" is stdio, which runs only in the local runner; ${STDIO_OVER_HTTP_ADVICE}`,
    'mcp_stdio_refused',
  );
}
