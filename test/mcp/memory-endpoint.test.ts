import { Agent, getLogger, MCPServerStreamableHttp, run, type AgentInputItem } from '@openai/agents';
import { assistantMessage, functionCall, modelResponder, ScriptedModel } from '@openai/agents/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqlApiKeyRepository } from '#core/adapters/store/api-keys.ts';
import { SqlMemoryRepository } from '#core/adapters/store/memories.ts';
import type { PgliteStore } from '#core/adapters/store/pglite.ts';
import { loadCharacter } from '#core/characters/load.ts';
import type { Scope } from '#core/ports/api-keys.ts';
import { openMigratedPglite as migratedStore } from '#test/support/pglite.ts';
import { testStack } from '../local/support/stack.ts';

let store: PgliteStore;
let t: Awaited<ReturnType<typeof testStack>>;
let mcpUrl: string;
const memories = () => new SqlMemoryRepository(store);

beforeAll(async () => {
  store = await migratedStore();
  // Ada as shipped, plus one knowledge string: the stack imports it at start.
  const withKnowledge = async (id: string) => {
    const character = await loadCharacter(id);
    return id === 'ada'
      ? { ...character, knowledge: ['The lab notebook lives in the blue cabinet.'] }
      : character;
  };
  t = await testStack({ store, tick: false, loadCharacter: withKnowledge });
  mcpUrl = `${t.stack.url}/v1/agents/ada/mcp`;
  await memories().insert([
    { agentId: 'ada', userId: 'api:app:sam', type: 'fact', text: 'Sam’s favourite colour is teal' },
    { agentId: 'ada', userId: 'api:app:kim', type: 'fact', text: 'Kim keeps bees on the roof' },
    { agentId: 'juniper', userId: 'api:app:sam', type: 'fact', text: 'Sam’s favourite colour is orange' },
  ]);
});
afterAll(async () => {
  await t?.stack.stop();
  await store?.close();
});

async function keyWith(...scopes: Scope[]): Promise<string> {
  // One app's keys: one tenant, whose users' stored ids are api:app:<id>.
  return (await new SqlApiKeyRepository(store).create(`mcp-${scopes.join('+')}`, scopes, { tenant: 'app' }))
    .key;
}

/** The agents SDK's own MCP client, sending the key the way a desktop client's config would. */
function memoryServer(key: string): MCPServerStreamableHttp {
  return new MCPServerStreamableHttp({
    name: `carrier-memory-${key.slice(3, 11)}`,
    url: mcpUrl,
    requestInit: { headers: { authorization: `Bearer ${key}` } },
    // A refused connection is what some tests expect: the rejection is asserted, not logged.
    logger: { ...sdkLogger, error: sdkLogger.debug },
  });
}
const sdkLogger = getLogger('test:mcp-memory');

/** The JSON a tool answered with (its one text content). */
function json(content: Awaited<ReturnType<MCPServerStreamableHttp['callTool']>>): unknown {
  const [first] = content;
  return JSON.parse(first && 'text' in first ? String(first.text) : 'null');
}

async function connected<T>(server: MCPServerStreamableHttp, fn: () => Promise<T>): Promise<T> {
  await server.connect();
  try {
    return await fn();
  } finally {
    await server.close();
  }
}

describe('memory over MCP at /v1/agents/{id}/mcp', () => {
  it('finds the knowledge the stack imported at start, shared by every user', async () => {
    const imported = await t.stack.knowledge;
    expect(imported.find((r) => r.id === 'ada')).toMatchObject({ inserted: 1, chunks: 1 });
    const server = memoryServer(await keyWith('memories:read'));
    const found = await connected(server, () =>
      server.callTool('search_memories', {
        query: 'where is the lab notebook?',
        type: 'knowledge',
        limit: 3,
      }),
    );
    expect(json(found)).toMatchObject({
      memories: [{ type: 'knowledge', text: 'The lab notebook lives in the blue cabinet.', userId: null }],
    });
  });

  it('lets an agent search and add memories through the endpoint, and the store changes', async () => {
    const key = await keyWith('memories:read', 'memories:write');
    const server = memoryServer(key);
    const model = new ScriptedModel([
      [
        functionCall(
          'search_memories',
          { query: 'favourite colour', userId: 'sam', limit: 5 },
          { callId: 's' },
        ),
        functionCall('add_fact', { userId: 'sam', text: 'Sam plays the cello on Sundays' }, { callId: 'a' }),
      ],
      modelResponder(({ request }) => {
        const outputs = (request.input as AgentInputItem[])
          .filter((i) => i.type === 'function_call_result')
          .map((i) => JSON.stringify('output' in i ? i.output : ''));
        return [assistantMessage(outputs.join('\n'))];
      }),
    ]);
    const agent = new Agent({
      name: 'Archivist',
      instructions: 'Use Ada’s memory.',
      model,
      mcpServers: [server],
    });

    const result = await connected(server, () =>
      run(agent, 'What do we know about Sam? He plays the cello.'),
    );

    expect(model.firstCall?.request.tools.map((tool) => tool.name).sort()).toEqual([
      'add_fact',
      'forget_user',
      'list_recent',
      'search_memories',
    ]);
    expect(result.finalOutput).toContain('teal');
    expect(result.finalOutput).not.toContain('orange');
    expect(result.finalOutput).toContain('added');
    const facts = await memories().facts('ada', 'api:app:sam');
    expect(facts.map((f) => f.text)).toContain('Sam plays the cello on Sundays');
    const [added] = await memories().list({ agentId: 'ada', userId: 'api:app:sam', type: 'fact', limit: 1 });
    expect(added).toMatchObject({
      text: 'Sam plays the cello on Sundays',
      metadata: { addedBy: key.split('_')[1] },
    });
  });

  it('lists recent memories and forgets a user in the caller’s own ids', async () => {
    const server = memoryServer(await keyWith('memories:read', 'memories:write'));
    await connected(server, async () => {
      const recent = await server.callTool('list_recent', { userId: 'kim', limit: 10 });
      expect(json(recent)).toMatchObject({
        memories: [{ text: 'Kim keeps bees on the roof', userId: 'kim', type: 'fact' }],
      });
      const forgot = await server.callTool('forget_user', { userId: 'kim' });
      expect(json(forgot)).toEqual({ deleted: 1 });
    });
    expect(await memories().list({ agentId: 'ada', userId: 'api:app:kim' })).toEqual([]);
  });

  it('shows a read-only key the read tools alone and refuses it a write', async () => {
    const server = memoryServer(await keyWith('memories:read'));
    await connected(server, async () => {
      expect((await server.listTools()).map((tool) => tool.name).sort()).toEqual([
        'list_recent',
        'search_memories',
      ]);
      const refused = await server.callTool('forget_user', { userId: 'sam' });
      expect(JSON.stringify(refused)).toMatch(/Tool forget_user not found/);
    });
    expect((await memories().facts('ada', 'api:app:sam')).length).toBeGreaterThan(0);
  });

  it('refuses a key without memories:read with 403 in the API’s error shape, before any tool is listed', async () => {
    const key = await keyWith('messages', 'agents:read', 'memories:write');
    const res = await fetch(mcpUrl, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${key}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({
      error: {
        code: 'forbidden',
        message: 'this API key lacks the "memories:read" scope; create a key with --scope memories:read',
      },
    });
    const server = memoryServer(key);
    await expect(server.connect()).rejects.toThrow(/403/);
    await server.close();
  });

  it('answers 401 without a key, 404 for an unknown agent and 405 for GET', async () => {
    expect((await fetch(mcpUrl, { method: 'POST' })).status).toBe(401);
    const key = await keyWith('memories:read');
    const headers = { authorization: `Bearer ${key}` };
    const unknown = await fetch(`${t.stack.url}/v1/agents/nobody/mcp`, { method: 'POST', headers });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: 'unknown_agent' } });
    const get = await fetch(mcpUrl, { headers });
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    expect(await get.json()).toMatchObject({ error: { code: 'method_not_allowed' } });
  });
});
