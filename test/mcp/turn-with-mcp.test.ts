import { assistantMessage, functionCall, modelResponder, ScriptedModel } from '@openai/agents/testing';
import type { AgentInputItem } from '@openai/agents';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InMemoryMemory } from '#core/adapters/memory/in-memory-memory.ts';
import { pinnedOutbound } from '#core/adapters/http/pinned-fetch.ts';
import { runTurn } from '#core/agents/run-turn.ts';
import type { Character } from '#core/characters/schema.ts';
import { mcpConfigSchema } from '#core/mcp/config.ts';
import { McpPool } from '#core/mcp/pool.ts';
import type { ResolvedModel } from '#core/ports/model.ts';
import { freePort, startEverything, type RunningMcpServer } from '#test/fakes/mcp-everything.ts';

const orbit: Character = { id: 'orbit', source: 'test', name: 'Orbit', mcp_servers: ['everything'] };

/**
 * A model that asks get-sum for 2 + 40, then answers with whatever the tool returned. The SDK
 * exposes MCP tool names with `-` as `_`, so the model sees `get_sum`.
 */
function sumModel(): { resolved: ResolvedModel; model: ScriptedModel } {
  const model = new ScriptedModel([
    [functionCall('get_sum', { a: 2, b: 40 }, { callId: 'call_sum' })],
    modelResponder(({ request }) => {
      const items = request.input as AgentInputItem[];
      const result = items.find((i) => i.type === 'function_call_result');
      const output = result && 'output' in result ? JSON.stringify(result.output) : 'nothing';
      return [assistantMessage(`The tool said: ${output}`)];
    }),
  ]);
  return { resolved: { model, provider: 'offline', name: 'scripted' }, model };
}

function poolFor(
  type: 'streamable-http' | 'sse',
  url: string,
  warnings: string[] = [],
  allowed_tools?: string[],
): McpPool {
  const config = mcpConfigSchema.parse({
    mcpServers: { everything: { type, url, timeout_ms: 5000, allowed_tools } },
  });
  return new McpPool(config, {
    allowStdio: false,
    outbound: pinnedOutbound('loopback'),
    warn: (m) => warnings.push(m),
  });
}

describe.each([
  ['streamable-http', 'streamableHttp'],
  ['sse', 'sse'],
] as const)('a turn with tools from server-everything over %s', (type, transport) => {
  let server: RunningMcpServer;
  let pool: McpPool;

  beforeAll(async () => {
    server = await startEverything(transport);
    pool = poolFor(type, server.url);
  });
  afterAll(async () => {
    await pool?.close();
    await server?.stop();
  });

  it('calls get-sum on the server and answers with its result', async () => {
    const { resolved, model } = sumModel();
    const result = await runTurn(
      { id: `t-${type}`, character: orbit, conversation: 'lab', user: { id: 'u1' }, text: 'what is 2 + 40?' },
      { model: resolved, memory: new InMemoryMemory(), mcp: pool },
    );
    const toolNames = model.firstCall?.request.tools.map((t) => t.name);
    expect(toolNames).toContain('get_sum');
    expect(result.toolCalls).toHaveLength(1);
    expect(result.toolCalls[0]).toMatchObject({ name: 'get_sum', arguments: '{"a":2,"b":40}' });
    expect(result.toolCalls[0]?.output).toContain('42');
    expect(result.reply).toContain('42');
    expect(result.skippedServers).toEqual([]);
  });

  it('offers only the allowed tools when allowed_tools is set', async () => {
    const limited = poolFor(type, server.url, [], ['get-sum', 'echo']);
    const { resolved, model } = sumModel();
    await runTurn(
      { id: `t-allowed-${type}`, character: orbit, conversation: 'lab', user: { id: 'u1' }, text: '2 + 40?' },
      { model: resolved, memory: new InMemoryMemory(), mcp: limited },
    );
    expect(model.firstCall?.request.tools.map((t) => t.name).sort()).toEqual([
      'current_time',
      'echo',
      'get_sum',
    ]);
    await limited.close();
  });

  it('reuses the connection for the next turn', async () => {
    const first = await pool.servers(['everything']);
    const second = await pool.servers(['everything']);
    expect(second.servers[0]).toBe(first.servers[0]);
  });
});

describe('a turn whose MCP server is down', () => {
  it('skips the server with a warning and still answers', async () => {
    const warnings: string[] = [];
    const port = await freePort();
    const pool = poolFor('streamable-http', `http://127.0.0.1:${port}/mcp`, warnings);
    const model = new ScriptedModel([[assistantMessage('I could not reach my calculator, but hello!')]]);
    const result = await runTurn(
      { id: 't-down', character: orbit, conversation: 'lab', user: { id: 'u1' }, text: 'what is 2 + 40?' },
      { model: { model, provider: 'offline', name: 'scripted' }, memory: new InMemoryMemory(), mcp: pool },
    );
    expect(result.reply).toBe('I could not reach my calculator, but hello!');
    expect(result.skippedServers.map((s) => s.name)).toEqual(['everything']);
    expect(warnings[0]).toMatch(/^MCP server "everything" skipped: /);
    expect(model.firstCall?.request.tools.map((t) => t.name)).not.toContain('get_sum');
    await pool.close();
  });

  it('refuses a stdio server where only remote servers are allowed, naming it and the fix', async () => {
    const config = mcpConfigSchema.parse({ mcpServers: { local: { type: 'stdio', command: 'true' } } });
    const warnings: string[] = [];
    const pool = new McpPool(config, {
      allowStdio: false,
      outbound: pinnedOutbound('loopback'),
      warn: (m) => warnings.push(m),
    });
    const { skipped } = await pool.servers(['local']);
    expect(skipped[0]?.reason).toMatch(/"local" is stdio.*serve it over HTTP/);
  });
});

describe('a server that goes away between turns', () => {
  it('tells the model the call failed, then reconnects on the next turn once it is back', async () => {
    let server = await startEverything('streamableHttp');
    const warnings: string[] = [];
    const pool = poolFor('streamable-http', server.url, warnings);
    const turn = (id: string) =>
      runTurn(
        { id, character: orbit, conversation: 'lab', user: { id: 'u1' }, text: 'what is 2 + 40?' },
        { model: sumModel().resolved, memory: new InMemoryMemory(), mcp: pool },
      );
    try {
      expect((await turn('before')).reply).toContain('42');

      await server.stop();
      const during = await turn('during');
      expect(during.toolCalls[0]?.output).toMatch(/^The everything tool server failed this call: /);
      expect(
        warnings.some((w) => w.startsWith('MCP server "everything" failed a call and will reconnect')),
      ).toBe(true);

      server = await startEverything('streamableHttp', server.port);
      expect((await turn('after')).reply).toContain('42');
    } finally {
      await pool.close();
      await server.stop();
    }
  });
});
