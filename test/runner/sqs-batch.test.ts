import { describe, expect, it } from 'vitest';
import { InMemoryMemory } from '#core/adapters/memory/in-memory-memory.ts';
import { loadCharacter } from '#core/characters/load.ts';
import { createRunnerHandler } from '#core/adapters/lambda/sqs-batch.ts';
import { EchoModel, httpError } from './support/echo-model.ts';
import { RecordingDelivery } from './support/recording-delivery.ts';
import { turnRequest } from './support/requests.ts';
import { InMemoryTurnRepository } from '#test/fakes/in-memory-turns.ts';
import { sqsEvent, sqsRecord } from './support/sqs-event.ts';

describe('createRunnerHandler', () => {
  it('fails only the failing message and the rest of its group, and answers the other groups', async () => {
    const model = new EchoModel((_call, text) => {
      if (text === 'a1') throw httpError(429);
    });
    const delivery = new RecordingDelivery();
    const handler = createRunnerHandler({
      turns: new InMemoryTurnRepository(),
      memory: new InMemoryMemory(),
      delivery,
      character: (id) => loadCharacter(id),
      model: () => model.resolved(),
      leaseSeconds: 30,
      maxReceiveCount: 5,
    });
    const [a1, b1, a2, b2] = [
      ['a1', 'A'],
      ['b1', 'B'],
      ['a2', 'A'],
      ['b2', 'B'],
    ].map(([text, conversation]) => sqsRecord(turnRequest({ text, conversation }), 1, `msg-${text}`));

    const response = await handler(sqsEvent(a1!, b1!, a2!, b2!));

    expect(response.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(['msg-a1', 'msg-a2']);
    expect(delivery.sent.map((s) => s.outcome.text)).toEqual(['echo: b1', 'echo: b2']);
  });
});
