import { CarrierError, type ConfigProblem } from '../errors.ts';
import { OutboundRefusedError, outboundTarget, type OutboundReach } from '../outbound/address-policy.ts';
import type { OutboundFetch } from '../ports/outbound.ts';
import { MCP_CONFIG_FILE, type McpConfig } from './config.ts';

/** How MCP connections leave the process: the reach checked at connect, and the pinned fetch the SDK uses. */
export interface McpOutbound {
  reach: OutboundReach;
  fetch: OutboundFetch;
}

/**
 * Why a remote MCP server's URL is refused under `reach`, naming the server (never the whole
 * URL, which may carry a token), or undefined. Only what needs no DNS is checked here; the
 * pinned fetch checks the addresses the name resolves to on every connection.
 *
 * @example mcpUrlProblem('search', 'http://169.254.169.254/mcp', 'public') // 'MCP server "search": url host 169.254.169.254 is a link-local address (169.254.0.0/16); deployed, tool servers must be on public addresses'
 */
export function mcpUrlProblem(server: string, url: string, reach: OutboundReach): string | undefined {
  try {
    outboundTarget(url, reach);
    return undefined;
  } catch (error) {
    if (!(error instanceof OutboundRefusedError)) throw error;
    return `MCP server "${server}": url host ${error.message}; deployed, tool servers must be on public addresses`;
  }
}

/** The same, as the error the pool reports when it skips the server. */
export function mcpUrlRefused(server: string, url: string, reach: OutboundReach): CarrierError | undefined {
  const problem = mcpUrlProblem(server, url, reach);
  return problem ? new CarrierError(problem, 'mcp_url_refused') : undefined;
}

/**
 * One problem per remote server whose URL `reach` refuses, for synth and cold-start checks.
 *
 * @example if (mcpUrlProblems(config, 'public').length) throw new ConfigError(mcpUrlProblems(config, 'public'));
 */
export function mcpUrlProblems(
  config: McpConfig,
  reach: OutboundReach,
  file = MCP_CONFIG_FILE,
): ConfigProblem[] {
  return Object.entries(config.mcpServers).flatMap(([name, entry]) => {
    const message = entry.type === 'stdio' ? undefined : mcpUrlProblem(name, entry.url, reach);
    return message ? [{ file, path: `mcpServers.${name}.url`, message }] : [];
  });
}
