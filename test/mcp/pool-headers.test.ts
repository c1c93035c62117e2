import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pinnedOutbound } from '#core/adapters/http/pinned-fetch.ts';
import { z } from 'zod';
import { mcpConfigSchema } from '#core/mcp/config.ts';
import { McpPool } from '#core/mcp/pool.ts';
import { startSdkMcpServer, type SdkMcpServer } from '#test/fakes/mcp-sdk-server.ts';

const TOKEN = 'notes-token-0123';
let server: SdkMcpServer;

beforeAll(async () => {
  server = await startSdkMcpServer({
    token: TOKEN,
    register: (s) =>
      s.registerTool(
        'team_of',
        { description: 'Which team the caller said it is', inputSchema: { note: z.string() } },
        ({ note }, extra) => ({
          content: [{ type: 'text', text: `${note} for ${String(extra.requestInfo?.headers['x-team'])}` }],
        }),
      ),
  });
});
afterAll(() => server?.stop());

function poolWith(secret: string, warnings: string[] = []): McpPool {
  const config = mcpConfigSchema.parse({
    mcpServers: {
      notes: {
        type: 'streamable-http',
        url: server.url,
        timeout_ms: 5000,
        headers: { Authorization: 'Bearer ${secret:NOTES_TOKEN}', 'X-Team': '${env:TEAM}' },
      },
    },
  });
  return new McpPool(config, {
    allowStdio: false,
    outbound: pinnedOutbound('loopback'),
    env: (name) => ({ TEAM: 'blue' })[name],
    secret: (name) => ({ NOTES_TOKEN: secret })[name],
    warn: (m) => warnings.push(m),
  });
}

describe('MCP server headers from config/mcp_servers.json', () => {
  it('sends the headers with the secret and env values filled in on every request', async () => {
    const pool = poolWith(TOKEN);
    try {
      const { servers, skipped } = await pool.servers(['notes']);
      expect(skipped).toEqual([]);
      const result = await servers[0]!.callTool('team_of', { note: 'hello' });
      expect(result).toEqual([{ type: 'text', text: 'hello for blue' }]);
    } finally {
      await pool.close();
    }
    const posts = server.requests.filter((h) => h.get('content-type')?.includes('json'));
    expect(posts.length).toBeGreaterThanOrEqual(3); // initialize, initialized, tools/call
    expect(posts.every((h) => h.get('authorization') === `Bearer ${TOKEN}`)).toBe(true);
  });

  it('skips a server that refuses the token, naming it, without failing the turn', async () => {
    const warnings: string[] = [];
    const pool = poolWith('stale-token', warnings);
    const { servers, skipped } = await pool.servers(['notes']);
    expect(servers).toEqual([]);
    expect(skipped.map((s) => s.name)).toEqual(['notes']);
    expect(warnings[0]).toMatch(/^MCP server "notes" skipped: .*401/);
    await pool.close();
  });
});
