import { InMemoryMemory } from '#core/adapters/memory/in-memory-memory.ts';
import { loadCharacter } from '#core/characters/load.ts';
import type { TurnRepository } from '#core/ports/turns.ts';
import type { RunnerDeps } from '#core/turns/process-turn.ts';
import type { EchoModel } from './echo-model.ts';
import { RecordingDelivery } from './recording-delivery.ts';

/** Runner dependencies for tests: the given turns store and model, in-memory memory, a recording delivery. */
export function testRunnerDeps(
  turns: TurnRepository,
  model: Pick<EchoModel, 'resolved'>,
  extra: Partial<RunnerDeps> = {},
) {
  const delivery = new RecordingDelivery();
  const memory = new InMemoryMemory();
  const runner: RunnerDeps = {
    turns,
    memory,
    delivery,
    character: (id) => loadCharacter(id),
    model: () => model.resolved(),
    leaseSeconds: 60,
    maxReceiveCount: 3,
    ...extra,
  };
  return { runner, delivery, memory };
}
