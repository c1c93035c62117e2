import { afterAll, beforeAll } from 'vitest';
import { PgliteStore } from '#core/adapters/pglite-store.ts';
import { TurnRepository } from '#core/jobs/turn-repository.ts';
import { migrate } from '#core/store/migrate.ts';

/** One migrated in-memory PGlite per test file: starting one costs seconds on these machines. */
export async function migratedStore(): Promise<PgliteStore> {
  const store = await PgliteStore.open();
  await migrate(store);
  return store;
}

/**
 * A migrated PGlite and its turns for the tests of one file: opened before them, closed after.
 * Read the fields inside tests (they are set by beforeAll).
 */
export function sharedTurnStore(): { store: PgliteStore; turns: TurnRepository } {
  const shared = {} as { store: PgliteStore; turns: TurnRepository };
  beforeAll(async () => {
    shared.store = await migratedStore();
    shared.turns = new TurnRepository(shared.store);
  });
  afterAll(async () => shared.store.close());
  return shared;
}
