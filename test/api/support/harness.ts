import { pinnedFetch } from '#core/adapters/http/pinned-fetch.ts';
import { LocalTurnQueue } from '#core/adapters/queue/local-queue.ts';
import { SqlTurnRepository } from '#core/adapters/store/turns.ts';
import { InMemoryMemory } from '#core/adapters/memory/in-memory-memory.ts';
import type { PgliteStore } from '#core/adapters/store/pglite.ts';
import { createApiApp } from '#core/api/app.ts';
import type { ApiDeps } from '#core/api/deps.ts';
import type { MemoryPort } from '#core/ports/memory.ts';
import { loadCharacter } from '#core/characters/load.ts';
import { SqlApiKeyRepository } from '#core/adapters/store/api-keys.ts';
import { DeliveryRouter } from '#core/turns/delivery-router.ts';
import { createRunnerHandler } from '#core/adapters/lambda/sqs-batch.ts';
import { ApiDelivery } from '#core/webhooks/api-delivery.ts';
import { EchoModel } from '../../runner/support/echo-model.ts';
import { migratedStore } from '../../runner/support/store.ts';

export const WEBHOOK_SECRET = 'whsec_test_0123456789abcdef';

/**
 * The API on a migrated PGlite with a started local queue and runner (echo model). The runner
 * remembers in process unless `memory` builds a store-backed one.
 */
export async function apiHarness(
  overrides: Partial<ApiDeps> = {},
  memoryFor: (store: PgliteStore) => MemoryPort = () => new InMemoryMemory(),
) {
  const store: PgliteStore = await migratedStore();
  const memory = memoryFor(store);
  const turns = new SqlTurnRepository(store);
  const keys = new SqlApiKeyRepository(store);
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
    store,
    turns,
    keys,
    queue,
    model,
    memory,
    async close() {
      await queue.stop();
      await store.close();
    },
  };
}

export function authed(key: string, init: RequestInit = {}): RequestInit {
  return {
    ...init,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...init.headers },
  };
}
