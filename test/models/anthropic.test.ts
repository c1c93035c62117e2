import { Agent, Runner } from '@openai/agents';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { InMemoryMemory } from '#core/adapters/memory/in-memory-memory.ts';
import { runTurn } from '#core/agents/run-turn.ts';
import { SECTIONS } from '#core/agents/instructions.ts';
import { loadCharacter } from '#core/characters/load.ts';
import type { Character } from '#core/characters/schema.ts';
import { selectModel } from '#core/adapters/models/select.ts';
import { streamed, text, toolUse } from '#test/fakes/anthropic-server.ts';
import { failure, startScriptedServer, type ScriptedServer } from '#test/fakes/scripted-http-server.ts';
import { ask, lookupOrder, ORDER_STATUS, ORDER_TOOL_CALL } from './turn-fixture.ts';

let juniper: Character;
let server: ScriptedServer | undefined;
beforeAll(async () => {
  // A current model name: the SDK warns on every request to claude-sonnet-4-5, which is being retired.
  juniper = { ...(await loadCharacter('juniper')), model: 'claude-sonnet-5-5' };
});
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const claude = (fake: ScriptedServer) =>
  selectModel(juniper, {
    deployed: true,
    env: { ANTHROPIC_API_KEY: 'sk-ant-test', ANTHROPIC_BASE_URL: fake.origin },
  });

describe('a Claude turn over the Messages API', () => {
  it('runs a tool_use / tool_result round trip, caching the character prompt and tools but not the memory', async () => {
    server = await startScriptedServer([
      text('hi sam! what are you making lately?', {
        input_tokens: 40,
        output_tokens: 10,
        cache_creation_input_tokens: 900,
      }),
      toolUse(
        'lookup_order',
        { orderId: 'A-17' },
        { input_tokens: 50, output_tokens: 20, cache_read_input_tokens: 900 },
      ),
      failure(429),
      text('it shipped on 2 march, so soon!', {
        input_tokens: 80,
        output_tokens: 15,
        cache_read_input_tokens: 900,
      }),
    ]);
    const model = claude(server);
    const memory = new InMemoryMemory();
    const deps = { model, memory, tools: [lookupOrder] };

    await runTurn(ask(juniper, 'hello, I am Sam', 't1'), deps);
    const result = await runTurn(ask(juniper, 'where is my order A-17?', 't2'), deps);

    expect(result.reply).toBe('it shipped on 2 march, so soon!');
    expect(result.toolCalls).toEqual([ORDER_TOOL_CALL]);
    expect(result.model).toEqual({ provider: 'anthropic', name: 'claude-sonnet-5-5' });
    // Cache reads count as input tokens, as OpenAI counts its cached tokens.
    expect(result.usage).toMatchObject({ requests: 2, inputTokens: 50 + 900 + 80 + 900, outputTokens: 35 });

    const { requests } = server;
    expect(requests.map((r) => r.path)).toEqual(Array(4).fill('/v1/messages'));
    expect(requests[2]!.headers['x-stainless-retry-count']).toBe('0');
    expect(requests[3]!.headers['x-stainless-retry-count']).toBe('1');
    expect(requests[0]!.headers.authorization ?? requests[0]!.headers['x-api-key']).toContain('sk-ant-test');

    // Turn 1 has no memory yet: the whole prompt is the stable, cached block.
    const firstTurn = requests[0]!.body;
    expect(firstTurn.system).toHaveLength(1);
    expect(firstTurn.system[0]).toMatchObject({ type: 'text', cache_control: { type: 'ephemeral' } });

    const call = requests[1]!.body;
    expect(call.model).toBe('claude-sonnet-5-5');
    expect(call.max_tokens).toBe(4096);
    // Juniper's temperature is not sent: this Messages API version rejects sampling parameters.
    expect(call).not.toHaveProperty('temperature');
    expect(call.system).toHaveLength(2);
    expect(call.system[0]).toEqual({
      type: 'text',
      text: call.system[0].text,
      cache_control: { type: 'ephemeral' },
    });
    expect(call.system[0].text).toContain('Juniper');
    expect(call.system[0].text).not.toContain(SECTIONS.recent);
    expect(call.system[1]).toEqual({ type: 'text', text: call.system[1].text });
    expect(call.system[1].text).toContain(SECTIONS.recent);
    expect(call.system[1].text).toContain('\nSam (user): hello, I am Sam');
    expect(call.system[0].text).toBe(firstTurn.system[0].text);

    expect(call.tools.map((t: { name: string }) => t.name)).toEqual(['current_time', 'lookup_order']);
    expect(call.tools[0]).not.toHaveProperty('cache_control');
    expect(call.tools[1]).toMatchObject({
      description: 'Where an order is.',
      input_schema: { type: 'object', properties: { orderId: { type: 'string' } } },
      cache_control: { type: 'ephemeral' },
    });
    expect(call.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'where is my order A-17?' }] },
    ]);

    const followUp = requests[3]!.body;
    expect(followUp.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'where is my order A-17?' }] },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Let me look that up.' },
          { type: 'tool_use', id: 'toolu_1', name: 'lookup_order', input: { orderId: 'A-17' } },
        ],
      },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: ORDER_STATUS }] },
    ]);
  });

  it("streams the Messages API's own deltas when the runner asks for a stream", async () => {
    server = await startScriptedServer([
      streamed(text('kiln is cooling.', { input_tokens: 30, output_tokens: 5, cache_read_input_tokens: 10 })),
    ]);
    const agent = new Agent({
      name: 'Juniper',
      instructions: 'You are Juniper.',
      model: claude(server).model,
    });

    const stream = await new Runner({ tracingDisabled: true }).run(agent, 'hi', { stream: true });
    const chunks: string[] = [];
    for await (const chunk of stream.toTextStream()) chunks.push(chunk);
    await stream.completed;

    expect(server.requests[0]!.body.stream).toBe(true);
    expect(chunks).toEqual(['kiln ', 'is ', 'cooling.']);
    expect(stream.finalOutput).toBe('kiln is cooling.');
    // Cache reads count as input, as in the non-streamed path.
    expect(stream.state.usage.inputTokens).toBe(40);
  });

  it('runs a streamed tool_use round trip: the tool input arrives as JSON deltas', async () => {
    server = await startScriptedServer([
      streamed(toolUse('lookup_order', { orderId: 'A-17' }, { input_tokens: 20, output_tokens: 8 })),
      streamed(text('It ships Tuesday.', { input_tokens: 40, output_tokens: 5 })),
    ]);
    const agent = new Agent({
      name: 'Juniper',
      instructions: 'You are Juniper.',
      model: claude(server).model,
      tools: [lookupOrder],
    });

    const stream = await new Runner({ tracingDisabled: true }).run(agent, 'where is A-17?', { stream: true });
    let shown = '';
    for await (const chunk of stream.toTextStream()) shown += chunk;
    await stream.completed;

    expect(stream.finalOutput).toBe('It ships Tuesday.');
    expect(shown).toContain('It ships Tuesday.');
    const second = server.requests[1]!.body as { messages: Array<{ role: string; content: unknown }> };
    expect(JSON.stringify(second.messages)).toContain(ORDER_STATUS);
  });
});
