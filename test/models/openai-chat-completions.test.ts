import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { InMemoryMemory } from '#core/adapters/memory/in-memory-memory.ts';
import { runTurn } from '#core/agents/run-turn.ts';
import { loadCharacter } from '#core/characters/load.ts';
import type { Character } from '#core/characters/schema.ts';
import { selectModel } from '#core/adapters/models/select.ts';
import { chatText, chatToolCall } from '#test/fakes/openai-server.ts';
import { failure, startScriptedServer, type ScriptedServer } from '#test/fakes/scripted-http-server.ts';
import { ask, askAboutOrder, ORDER_STATUS, ORDER_TOOL_CALL } from './turn-fixture.ts';

let ada: Character;
let server: ScriptedServer | undefined;
beforeAll(async () => {
  ada = await loadCharacter('ada');
});
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Through selectModel, as a deployed runner would pick it, pointed at the fake. */
const chatCompletionsModel = (fake: ScriptedServer) =>
  selectModel(ada, {
    deployed: true,
    env: { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: `${fake.origin}/v1`, OPENAI_API: 'chat_completions' },
  });

describe('an OpenAI turn over Chat Completions', () => {
  it('calls a tool, answers with its output, and rides out a 429 and a 500', async () => {
    server = await startScriptedServer([
      failure(429),
      chatToolCall('lookup_order', { orderId: 'A-17' }),
      failure(500),
      chatText('Your order A-17 shipped on 2 March.'),
    ]);
    const model = chatCompletionsModel(server);

    const result = await askAboutOrder(ada, model);

    expect(result.reply).toBe('Your order A-17 shipped on 2 March.');
    expect(result.toolCalls).toEqual([ORDER_TOOL_CALL]);
    expect(result.model).toEqual({ provider: 'openai', name: 'gpt-4.1-mini' });
    expect(result.usage).toMatchObject({ requests: 2, inputTokens: 240, outputTokens: 24 });

    const { requests } = server;
    expect(requests.map((r) => r.path)).toEqual(Array(4).fill('/v1/chat/completions'));
    // The openai client retried each failure itself: the second try of each call says so.
    expect(requests.map((r) => r.headers['x-stainless-retry-count'])).toEqual(['0', '1', '0', '1']);
    expect(requests[0]!.headers.authorization).toBe('Bearer sk-test');

    const first = requests[1]!.body;
    expect(first.model).toBe('gpt-4.1-mini');
    expect(first.messages[0]).toMatchObject({ role: 'system' });
    expect(first.messages[0].content).toContain('Ada');
    expect(first.messages.at(-1)).toEqual({ role: 'user', content: 'Where is my order A-17?' });
    expect(first.tools.map((t: { function: { name: string } }) => t.function.name)).toEqual([
      'current_time',
      'lookup_order',
    ]);

    const second = requests[3]!.body;
    expect(second.messages.at(-2)).toMatchObject({
      role: 'assistant',
      tool_calls: [{ id: 'call_1', function: { name: 'lookup_order', arguments: '{"orderId":"A-17"}' } }],
    });
    expect(second.messages.at(-1)).toEqual({ role: 'tool', tool_call_id: 'call_1', content: ORDER_STATUS });
  });

  it('gives up after the client retries run out and says which status the server sent', async () => {
    server = await startScriptedServer([failure(503), failure(503), failure(503), failure(503)]);
    const model = chatCompletionsModel(server);

    await expect(runTurn(ask(ada, 'hello'), { model, memory: new InMemoryMemory() })).rejects.toThrow(/503/);
    expect(server.requests).toHaveLength(4);
  });
});
