import { existsSync } from 'node:fs';
import { z } from 'zod';
import { readJsonFile } from '../config/json-file.ts';
import { CarrierError } from '../errors.ts';

const common = {
  headers: z.record(z.string(), z.string()).optional(),
  cache_tools_list: z.boolean().default(true),
  timeout_ms: z.number().int().positive().default(10_000),
  allowed_tools: z.array(z.string()).optional(),
};

export const mcpServerSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('streamable-http'), url: z.url(), ...common }),
  z.strictObject({ type: z.literal('sse'), url: z.url(), ...common }),
  z.strictObject({
    type: z.literal('stdio'),
    command: z.string().min(1),
    args: z.array(z.string()).default([]),
    env: z.record(z.string(), z.string()).optional(),
    cwd: z.string().optional(),
    ...common,
  }),
]);

export const mcpConfigSchema = z.strictObject({
  mcpServers: z.record(
    z.string().regex(/^[A-Za-z0-9_-]+$/, 'server names use letters, digits, - and _'),
    mcpServerSchema,
  ),
});

export type McpServerConfig = z.output<typeof mcpServerSchema>;
export type McpConfig = z.output<typeof mcpConfigSchema>;

export const MCP_CONFIG_FILE = 'config/mcp_servers.json';

export async function loadMcpConfig(file = MCP_CONFIG_FILE): Promise<McpConfig> {
  return readJsonFile(file, mcpConfigSchema);
}

/**
 * The MCP servers, or undefined when the file does not exist: MCP is optional locally, so a
 * checkout without config/mcp_servers.json runs with no servers. A file that exists but is
 * invalid still fails.
 *
 * @example const mcp = await loadMcpConfigIfPresent(); // undefined: no servers
 */
export async function loadMcpConfigIfPresent(file = MCP_CONFIG_FILE): Promise<McpConfig | undefined> {
  return existsSync(file) ? loadMcpConfig(file) : undefined;
}

/** Looks up a secret by name: Secrets Manager values in Lambda, `.env`/process env locally. */
export type SecretLookup = (name: string) => string | undefined;

/**
 * Replaces `${env:NAME}` and `${secret:NAME}` in header values. A missing value is an error
 * naming the server and header, never the value itself.
 */
export function resolveHeaders(
  server: string,
  headers: Record<string, string> | undefined,
  lookup: { env: SecretLookup; secret: SecretLookup },
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [header, template] of Object.entries(headers ?? {})) {
    out[header] = template.replace(
      /\$\{(env|secret):([A-Za-z0-9_]+)\}/g,
      (_, kind: 'env' | 'secret', name: string) => {
        const value = lookup[kind](name);
        if (value === undefined) {
          throw new CarrierError(
            `MCP server "${server}": header ${header} needs ${kind} ${name}; set it in ${kind === 'env' ? 'the environment or .env' : 'the secrets store (.env locally)'}`,
            'mcp_header_unresolved',
          );
        }
        return value;
      },
    );
  }
  return out;
}

/** How to make a stdio MCP server usable where only remote servers run (Lambda, synth). */
export const STDIO_OVER_HTTP_ADVICE =
  'serve it over HTTP (its own streamable-http or sse mode, or a stdio-to-HTTP bridge such as ' +
  '`npx supergateway --stdio "<command>"`) and set "type": "streamable-http" with its "url" in config/mcp_servers.json';
