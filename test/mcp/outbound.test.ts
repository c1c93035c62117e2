import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pinnedFetch, pinnedOutbound } from '#core/adapters/http/pinned-fetch.ts';
import { mcpConfigSchema } from '#core/mcp/config.ts';
import { mcpUrlProblems } from '#core/mcp/outbound.ts';
import { McpPool } from '#core/mcp/pool.ts';
import { startEverything, type RunningMcpServer } from '#test/fakes/mcp-everything.ts';
import { BLOCKED_SPELLINGS } from '#test/outbound/blocked-spellings.ts';
import { scriptedResolver, startLoopbackServer, type LoopbackServer } from '#test/outbound/loopback-trap.ts';

const configFor = (url: string, type: 'streamable-http' | 'sse' = 'streamable-http') =>
  mcpConfigSchema.parse({ mcpServers: { tools: { type, url, timeout_ms: 5000 } } });

describe('MCP server URLs under the outbound policy', () => {
  let trap: LoopbackServer;
  beforeAll(async () => {
    trap = await startLoopbackServer('127.0.0.1');
  });
  afterAll(() => trap.close());

  it.each(BLOCKED_SPELLINGS)(
    'skips a server at http://%s/ (%s) when deployed, naming it',
    async (host, kind) => {
      const config = configFor(`http://${host}:${trap.port}/mcp`);
      const pool = new McpPool(config, { allowStdio: false, outbound: pinnedOutbound('public') });
      const { servers, skipped } = await pool.servers(['tools']);
      expect(servers).toEqual([]);
      expect(skipped).toEqual([
        {
          name: 'tools',
          reason: expect.stringMatching(
            new RegExp(
              `^MCP server "tools": url host .*${kind}.*; deployed, tool servers must be on public addresses$`,
            ),
          ),
        },
      ]);
      expect(mcpUrlProblems(config, 'public')).toEqual([
        { file: 'config/mcp_servers.json', path: 'mcpServers.tools.url', message: skipped[0]!.reason },
      ]);
      await pool.close();
      expect(trap.requests).toEqual([]);
    },
  );
});

describe('MCP connections through the pinned fetch', () => {
  let server: RunningMcpServer;
  beforeAll(async () => {
    server = await startEverything('streamableHttp');
  });
  afterAll(() => server.stop());

  it('connects through the resolver it was given: a name only the stub knows works', async () => {
    const { resolve, asked } = scriptedResolver(['127.0.0.1']);
    const config = configFor(`http://tools.test:${server.port}/mcp`);
    const pool = new McpPool(config, {
      allowStdio: false,
      outbound: { reach: 'loopback', fetch: pinnedFetch({ reach: 'loopback', resolve }) },
    });
    const { servers, skipped } = await pool.servers(['tools']);
    expect(skipped).toEqual([]);
    expect((await servers[0]!.listTools()).map((t) => t.name)).toContain('get-sum');
    expect(asked.length).toBeGreaterThan(0);
    expect(new Set(asked)).toEqual(new Set(['tools.test']));
    await pool.close();
  });

  it('refuses the session once the name rebinds to a private address, before any request goes there', async () => {
    const { resolve } = scriptedResolver(['127.0.0.1'], ['10.0.0.5']);
    const config = configFor(`http://tools.test:${server.port}/mcp`);
    const warnings: string[] = [];
    const pool = new McpPool(config, {
      allowStdio: false,
      outbound: { reach: 'loopback', fetch: pinnedFetch({ reach: 'loopback', resolve }) },
      warn: (m) => warnings.push(m),
    });
    const { servers, skipped } = await pool.servers(['tools']);
    const failed = skipped.length
      ? skipped[0]!.reason
      : await servers[0]!.listTools().then(() => 'listed', String);
    expect(failed).toContain('tools.test resolves to 10.0.0.5, a private address (10.0.0.0/8)');
    await pool.close();
  });
});
