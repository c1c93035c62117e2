import { beforeAll, describe, expect, it } from 'vitest';
import { InMemoryMemory } from '#core/adapters/memory/in-memory-memory.ts';
import { runTurn, type TurnInput } from '#core/agents/run-turn.ts';
import { loadCharacter } from '#core/characters/load.ts';
import type { Character } from '#core/characters/schema.ts';
import { offlineModel } from '#core/adapters/models/offline.ts';

let ada: Character;
beforeAll(async () => {
  ada = await loadCharacter('ada');
});

const ask = (text: string, id = text): TurnInput => ({
  id,
  character: ada,
  conversation: 'c1',
  user: { id: 'u1', name: 'Sam' },
  text,
});

describe('a turn with the offline model', () => {
  it('answers in character from the closest message example and says it is offline', async () => {
    const result = await runTurn(ask('hello'), { model: offlineModel(), memory: new InMemoryMemory() });
    expect(result.reply).toBe('(offline) Hi. What do you need?');
    expect(result.model).toEqual({ provider: 'offline', name: 'offline' });
    expect(result.usage.requests).toBe(1);
    expect(result.usage).toMatchObject({ costMicroUsd: 0, priceVersion: expect.any(String) });
    expect(result.toolCalls).toEqual([]);
  });

  it('remembers what the user said earlier in the conversation', async () => {
    const memory = new InMemoryMemory();
    await runTurn(ask('My favourite colour is teal'), { model: offlineModel(), memory });
    const result = await runTurn(ask('What is my favourite colour?'), { model: offlineModel(), memory });
    expect(result.reply).toContain('Earlier you told me: "My favourite colour is teal"');
  });

  it('calls a tool named with the /tool syntax and answers with its result', async () => {
    const result = await runTurn(ask('/tool current_time {"timeZone":null}'), {
      model: offlineModel(),
      memory: new InMemoryMemory(),
    });
    expect(result.toolCalls).toHaveLength(1);
    expect(result.toolCalls[0]).toMatchObject({ name: 'current_time', arguments: '{"timeZone":null}' });
    expect(result.toolCalls[0]?.output).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(result.reply).toMatch(/^\(offline\) current_time returned: \d{4}-/);
    expect(result.usage.requests).toBe(2);
  });

  it('names the tools it has when asked for one it does not', async () => {
    const result = await runTurn(ask('/tool teleport {}'), {
      model: offlineModel(),
      memory: new InMemoryMemory(),
    });
    expect(result.reply).toBe('(offline) I have no tool called "teleport". Tools I can use: current_time.');
  });

  it('stores a turn once even when the same turn id is run twice', async () => {
    const memory = new InMemoryMemory();
    await runTurn(ask('first', 't1'), { model: offlineModel(), memory });
    await runTurn(ask('first', 't1'), { model: offlineModel(), memory });
    const { recent } = await memory.recall({ agentId: 'ada', userId: 'u1', roomId: 'c1', text: '' });
    expect(recent.map((m) => m.role)).toEqual(['user', 'assistant']);
  });
});

describe('turn bounds', () => {
  it('stops a turn that keeps calling tools and says how many model calls it used', async () => {
    const { ScriptedModel, functionCall } = await import('@openai/agents/testing');
    const model = new ScriptedModel(
      Array.from({ length: 5 }, (_, i) => [
        functionCall('current_time', { timeZone: null }, { callId: `c${i}` }),
      ]),
    );
    await expect(
      runTurn(ask('loop'), {
        model: { model, provider: 'offline', name: 'scripted' },
        memory: new InMemoryMemory(),
        maxModelCalls: 3,
      }),
    ).rejects.toThrow('ada: the turn used more than 3 model calls without answering');
  });
});
