import { describe, expect, it } from 'vitest';
import { processTurnRequest } from '#core/turns/process-turn.ts';
import { TRACE_LIMITS, turnTrace } from '#core/turns/turn-trace.ts';
import { InMemoryTurnRepository } from '#test/fakes/in-memory-turns.ts';
import { EchoModel } from './support/echo-model.ts';
import { turnRequest } from './support/requests.ts';
import { testRunnerDeps } from './support/runner-deps.ts';

describe('the trace a turn keeps', () => {
  it('is stored with the reply: what recall found, with its score parts', async () => {
    const turns = new InMemoryTurnRepository();
    const fact = {
      id: 'm1',
      type: 'fact' as const,
      text: 'Sam likes teal',
      userId: 'u1',
      createdAt: '2030-01-01T00:00:00Z',
      score: 0.03,
      why: { fullText: 0.2, fullTextRank: 1, userFact: true },
    };
    const memory = { recall: async () => ({ recent: [], memories: [fact] }), remember: async () => {} };
    const { runner } = testRunnerDeps(turns, new EchoModel(), { memory });
    const request = turnRequest({ text: 'what is my favourite colour?' });
    await processTurnRequest(request, { receiveCount: 1 }, runner);
    expect((await turns.get(request.id))?.trace).toEqual({
      recalled: [{ id: 'm1', type: 'fact', text: 'Sam likes teal', score: 0.03, why: fact.why }],
      tools: [],
    });
  });

  it('cuts long texts and keeps at most 20 memories and 20 tool calls', () => {
    const long = 'x'.repeat(10_000);
    const trace = turnTrace({
      recalled: Array.from({ length: 30 }, (_, i) => ({
        id: `m${i}`,
        type: 'fact' as const,
        text: long,
        userId: 'api:acme:sam',
        createdAt: '2030-01-01T00:00:00Z',
        score: 1,
        why: {},
      })),
      toolCalls: Array.from({ length: 25 }, () => ({ name: 'echo', arguments: long, output: long })),
    });
    expect(trace.recalled).toHaveLength(20);
    expect(trace.recalled[0]).not.toHaveProperty('userId');
    expect(trace.recalled[0]!.text).toHaveLength(TRACE_LIMITS.memoryText);
    expect(trace.tools).toHaveLength(20);
    expect(trace.tools[0]!.arguments).toHaveLength(TRACE_LIMITS.arguments);
    expect(trace.tools[0]!.output!.endsWith('…')).toBe(true);
  });
});
