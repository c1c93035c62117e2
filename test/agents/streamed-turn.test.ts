import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { InMemoryMemory } from '#core/adapters/memory/in-memory-memory.ts';
import { offlineModel } from '#core/adapters/models/offline.ts';
import { offlineOptions } from '#core/adapters/models/offline-options.ts';
import { selectModel } from '#core/adapters/models/select.ts';
import { runTurn, type TurnInput } from '#core/agents/run-turn.ts';
import type { TurnStreamEvent } from '#core/agents/streamed-run.ts';
import { loadCharacter } from '#core/characters/load.ts';
import type { Character } from '#core/characters/schema.ts';
import { responsesTextStream } from '#test/fakes/openai-server.ts';
import { startScriptedServer, type ScriptedServer } from '#test/fakes/scripted-http-server.ts';

let ada: Character;
let server: ScriptedServer;
beforeAll(async () => {
  ada = await loadCharacter('ada');
  server = await startScriptedServer([
    {
      body: responsesTextStream('Your order shipped on 2 March.'),
      headers: { 'content-type': 'text/event-stream' },
    },
  ]);
});
afterAll(() => server.close());

const ask = (text: string): TurnInput => ({
  id: text,
  character: ada,
  conversation: 'c1',
  user: { id: 'u1' },
  text,
});

describe('a streamed turn', () => {
  it('streams the offline model in word-sized deltas that add up to the reply', async () => {
    const seen: TurnStreamEvent[] = [];
    const result = await runTurn(ask('hello'), {
      model: offlineModel(),
      memory: new InMemoryMemory(),
      onEvent: (e) => seen.push(e),
    });
    const deltas = seen.flatMap((e) => (e.kind === 'delta' ? [e.text] : []));
    expect(deltas.length).toBeGreaterThan(3);
    expect(deltas.every((d) => d.trim().split(/\s+/).length === 1)).toBe(true);
    expect(deltas.join('')).toBe(result.reply);
  });

  it('reports a tool call starting and ending around it', async () => {
    const seen: TurnStreamEvent[] = [];
    await runTurn(ask('/tool current_time {"timeZone":null}'), {
      model: offlineModel(),
      memory: new InMemoryMemory(),
      onEvent: (e) => seen.push(e),
    });
    const kinds = seen.map((e) => (e.kind === 'delta' ? 'delta' : `${e.kind}:${e.name}`));
    expect(kinds.slice(0, 2)).toEqual(['tool_start:current_time', 'tool_end:current_time']);
    expect(kinds.slice(2).every((k) => k === 'delta')).toBe(true);
  });

  it('waits the per-chunk delay before each chunk when one is set', async () => {
    vi.useFakeTimers();
    try {
      const seen: string[] = [];
      const model = offlineModel(undefined, offlineOptions({ CARRIER_OFFLINE_CHUNK_DELAY_MS: '1000' }));
      const pending = runTurn(ask('hello'), {
        model,
        memory: new InMemoryMemory(),
        onEvent: (e) => e.kind === 'delta' && seen.push(e.text),
      });
      await vi.advanceTimersByTimeAsync(1500);
      expect(seen).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(60_000);
      await pending;
      expect(seen.length).toBeGreaterThan(3);
    } finally {
      vi.useRealTimers();
    }
  });

  it('refuses a delay that is not whole milliseconds, naming the variable', () => {
    expect(() => offlineOptions({ CARRIER_OFFLINE_CHUNK_DELAY_MS: 'fast' })).toThrow(
      /CARRIER_OFFLINE_CHUNK_DELAY_MS=fast .*0 to 10000/,
    );
    expect(() => offlineOptions({ CARRIER_OFFLINE_CHUNK_DELAY_MS: '-5' })).toThrow(/whole milliseconds/);
  });

  it("streams an OpenAI model through the SDK's own streaming", async () => {
    const model = selectModel(ada, {
      deployed: true,
      env: { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: `${server.origin}/v1` },
    });
    const seen: string[] = [];
    const result = await runTurn(ask('where is my order?'), {
      model,
      memory: new InMemoryMemory(),
      onEvent: (e) => e.kind === 'delta' && seen.push(e.text),
    });
    expect(server.requests[0]?.body.stream).toBe(true);
    expect(seen.join('')).toBe('Your order shipped on 2 March.');
    expect(result.reply).toBe('Your order shipped on 2 March.');
  });
});
