import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { LocalTurnQueue, type LocalQueueOptions } from '#core/adapters/queue/local-queue.ts';
import { loadCharacter } from '#core/characters/load.ts';
import type { Character } from '#core/characters/schema.ts';
import { APOLOGY, type RunnerDeps } from '#core/turns/process-turn.ts';
import { createRunnerHandler } from '#core/adapters/lambda/sqs-batch.ts';
import { InMemoryTurnRepository } from '#test/fakes/in-memory-turns.ts';
import { runTimersUntil } from '#test/support/fake-timers.ts';
import { EchoModel, httpError } from './support/echo-model.ts';
import { turnRequest } from './support/requests.ts';
import { testRunnerDeps } from './support/runner-deps.ts';

// Visibility timeouts, invocation timeouts and leases run out in fake time: the queue's timers
// and the turns' clock (Date) are both faked, and nothing else waits on I/O (the character is
// read before the clock stops), so jumping to the next timer is what would happen anyway.
let ada: Character;
let turns: InMemoryTurnRepository;
beforeAll(async () => {
  ada = await loadCharacter('ada');
});
beforeEach(() => {
  vi.useFakeTimers();
  turns = new InMemoryTurnRepository();
});
afterEach(() => {
  vi.useRealTimers();
});

/** The runner behind a local queue, as in `npm start`, with a recording delivery. */
function pipeline(model: EchoModel, queueOptions: LocalQueueOptions, deps: Partial<RunnerDeps> = {}) {
  const { runner, delivery, memory } = testRunnerDeps(turns, model, {
    leaseSeconds: 30,
    maxReceiveCount: queueOptions.maxReceiveCount ?? 5,
    character: async () => ada,
    ...deps,
  });
  const queue = new LocalTurnQueue({ visibilityTimeoutMs: 20, ...queueOptions });
  queue.start(createRunnerHandler(runner));
  const drained = () => runTimersUntil(queue.idle());
  return { queue, delivery, memory, drained };
}

describe('runner faults through the queue', () => {
  it('retries a model 429 through the queue and replies once', async () => {
    const model = new EchoModel((call) => {
      if (call === 1) throw httpError(429, 'slow down');
    });
    const { queue, delivery, drained } = pipeline(model, { maxReceiveCount: 3 });
    const request = turnRequest({ conversation: 'retry-429', text: 'after a 429' });

    await queue.enqueue(request);
    await drained();

    expect(delivery.sent.map((s) => s.outcome)).toEqual([{ kind: 'reply', text: 'echo: after a 429' }]);
    expect(await turns.get(request.id)).toMatchObject({ status: 'done', attempts: 2 });
    await queue.stop();
  });

  it('apologises once the model stays down past the last attempt and marks the turn failed', async () => {
    const model = new EchoModel(() => {
      throw httpError(500, 'upstream exploded');
    });
    const { queue, delivery, drained } = pipeline(model, { maxReceiveCount: 3 });
    const request = turnRequest({ conversation: 'down', text: 'anyone?' });

    await queue.enqueue(request);
    await drained();

    expect(model.calls).toBe(3);
    expect(delivery.sent.map((s) => s.outcome)).toEqual([
      { kind: 'apology', text: APOLOGY, reason: 'APIError 500: upstream exploded', code: 'agent_failed' },
    ]);
    expect(await turns.get(request.id)).toMatchObject({
      status: 'failed',
      attempts: 3,
      error: 'APIError 500: upstream exploded',
    });
    expect(queue.deadLetters()).toEqual([]);
    await queue.stop();
  });

  it('answers every message exactly once, in order, when the runner dies mid-batch', async () => {
    // The 3rd model call never returns: the invocation is "killed" by its timeout with a turn
    // claimed, two answered and the rest untouched. Everything is redelivered.
    const model = new EchoModel(async (call) => {
      if (call === 3) await new Promise<never>(() => undefined);
    });
    const { queue, delivery, memory, drained } = pipeline(
      model,
      {
        batchSize: 10,
        concurrency: 1,
        invocationTimeoutMs: 400,
        visibilityTimeoutMs: 300,
        maxReceiveCount: 10,
      },
      { leaseSeconds: 1 },
    );
    const requests = ['a', 'b'].flatMap((group) =>
      [0, 1, 2, 3, 4].map((i) => turnRequest({ conversation: `killed-${group}`, text: `${group}${i}` })),
    );
    for (const r of requests) await queue.enqueue(r);
    await drained();

    for (const r of requests) expect(delivery.count(r.id)).toBe(1);
    for (const group of ['a', 'b']) {
      const replies = delivery.sent.filter((s) => s.conversation === `killed-${group}`);
      expect(replies.map((s) => s.outcome.text)).toEqual([0, 1, 2, 3, 4].map((i) => `echo: ${group}${i}`));
      const recalled = await memory.recall({
        agentId: 'ada',
        userId: 'u1',
        roomId: `killed-${group}`,
        text: '',
        recentLimit: 50,
      });
      expect(recalled.recent).toHaveLength(10);
    }
    expect(queue.deadLetters()).toEqual([]);
    await queue.stop(0);
  });
});
