import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCharacter } from '#core/characters/load.ts';
import type { Character } from '#core/characters/schema.ts';
import { selectModel } from '#core/adapters/models/select.ts';
import { responsesText, responsesToolCall } from '#test/fakes/openai-server.ts';
import { failure, startScriptedServer, type ScriptedServer } from '#test/fakes/scripted-http-server.ts';
import { askAboutOrder, ORDER_STATUS, ORDER_TOOL_CALL } from './turn-fixture.ts';

let ada: Character;
let server: ScriptedServer;
beforeAll(async () => {
  ada = await loadCharacter('ada');
  server = await startScriptedServer([
    failure(429),
    responsesToolCall('lookup_order', { orderId: 'A-17' }),
    failure(500),
    responsesText('Your order A-17 shipped on 2 March.'),
  ]);
});
afterAll(() => server.close());

describe('an OpenAI turn over the Responses API', () => {
  it('sends the tool output back as function_call_output and answers with it, past a 429 and a 500', async () => {
    // No OPENAI_API: Responses is the default.
    const model = selectModel(ada, {
      deployed: true,
      env: { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: `${server.origin}/v1` },
    });

    const result = await askAboutOrder(ada, model);

    expect(result.reply).toBe('Your order A-17 shipped on 2 March.');
    expect(result.toolCalls).toEqual([ORDER_TOOL_CALL]);
    expect(result.usage).toMatchObject({ requests: 2, inputTokens: 240, outputTokens: 24 });

    const { requests } = server;
    expect(requests.map((r) => r.path)).toEqual(Array(4).fill('/v1/responses'));
    expect(requests.map((r) => r.headers['x-stainless-retry-count'])).toEqual(['0', '1', '0', '1']);

    const first = requests[1]!.body;
    expect(first.model).toBe('gpt-4.1-mini');
    expect(first.instructions).toContain('Ada');
    expect(first.input).toEqual([{ role: 'user', content: 'Where is my order A-17?' }]);
    expect(first.tools.map((t: { name: string }) => t.name)).toEqual(['current_time', 'lookup_order']);

    const second = requests[3]!.body;
    expect(second.input).toContainEqual(
      expect.objectContaining({ type: 'function_call', call_id: 'call_1', name: 'lookup_order' }),
    );
    expect(second.input.at(-1)).toMatchObject({
      type: 'function_call_output',
      call_id: 'call_1',
      output: ORDER_STATUS,
    });
  });
});
