import { pinnedFetch } from '#core/adapters/http/pinned-fetch.ts';
import { LocalTurnQueue } from '#core/adapters/queue/local-queue.ts';
import { InMemoryMemory } from '#core/adapters/memory/in-memory-memory.ts';
import { createApiApp } from '#core/api/app.ts';
import type { ApiDeps } from '#core/api/deps.ts';
import type { MemoryPort } from '#core/ports/memory.ts';
import { loadCharacter } from '#core/characters/load.ts';
import { DeliveryRouter } from '#core/turns/delivery-router.ts';
import { createRunnerHandler } from '#core/adapters/lambda/sqs-batch.ts';
import { ApiDelivery } from '#core/webhooks/api-delivery.ts';
import { InMemoryApiKeyRepository } from '#test/fakes/in-memory-api-keys.ts';
import { InMemoryTurnRepository } from '#test/fakes/in-memory-turns.ts';
import { EchoModel } from '../../runner/support/echo-model.ts';

export const WEBHOOK_SECRET = 'whsec_test_0123456789abcdef';

/**
 * The API over in-memory turns and keys (test/store holds them to the SQL) with a started
 * local queue and runner (echo model). The runner remembers in process unless given `memory`.
 */
export async function apiHarness(
  overrides: Partial<ApiDeps> = {},
  memory: MemoryPort = new InMemoryMemory(),
) {
  const turns = new InMemoryTurnRepository();
  const keys = new InMemoryApiKeyRepository();
  const model = new EchoModel();
  const queue = new LocalTurnQueue({ visibilityTimeoutMs: 50 });
  queue.start(
    createRunnerHandler({
      turns,
      memory,
      delivery: new DeliveryRouter({
        api: new ApiDelivery({
          secret: WEBHOOK_SECRET,
          baseDelayMs: 10,
          allowLocal: true,
          fetch: pinnedFetch({ reach: 'loopback' }),
        }),
      }),
      character: (id) => loadCharacter(id),
      model: () => model.resolved(),
      leaseSeconds: 30,
      maxReceiveCount: 3,
    }),
  );
  const app = createApiApp({
    turns,
    queue,
    authenticate: (key) => keys.verify(key),
    agents: async () => [
      { id: 'ada', name: 'Ada' },
      { id: 'juniper', name: 'Juniper' },
    ],
    allowHttpWebhooks: true,
    waitPollMs: 10,
    ...overrides,
  });
  return {
    app,
    turns,
    keys,
    queue,
    model,
    memory,
    async close() {
      await queue.stop();
    },
  };
}

export function authed(key: string, init: RequestInit = {}): RequestInit {
  return {
    ...init,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...init.headers },
  };
}
