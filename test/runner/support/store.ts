import { afterAll, beforeAll } from 'vitest';
import { SqlTurnRepository } from '#core/adapters/store/turns.ts';
import { PgliteStore } from '#core/adapters/store/pglite.ts';
import type { TurnRepository } from '#core/ports/turns.ts';
import { migrate } from '#core/adapters/store/migrate.ts';

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
    shared.turns = new SqlTurnRepository(shared.store);
  });
  afterAll(async () => shared.store.close());
  return shared;
}
