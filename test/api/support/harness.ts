import { pinnedFetch } from '#core/adapters/http/pinned-fetch.ts';
import { LocalTurnQueue } from '#core/adapters/local-queue.ts';
import { InMemoryMemory } from '#core/adapters/in-memory-memory.ts';
import type { PgliteStore } from '#core/adapters/pglite-store.ts';
import { createApiApp } from '#core/api/app.ts';
import type { ApiDeps } from '#core/api/deps.ts';
import type { MemoryPort } from '#core/ports/memory.ts';
import { loadCharacter } from '#core/characters/load.ts';
import { TurnRepository } from '#core/jobs/turn-repository.ts';
import { ApiKeyStore } from '#core/keys/api-keys.ts';
import { DeliveryRouter } from '#core/runner/delivery-router.ts';
import { createRunnerHandler } from '#core/runner/sqs-batch.ts';
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
  const turns = new TurnRepository(store);
  const keys = new ApiKeyStore(store);
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
