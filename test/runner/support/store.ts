import { PgliteStore } from '#core/adapters/pglite-store.ts';
import { migrate } from '#core/store/migrate.ts';

/** One migrated in-memory PGlite per test file: starting one costs seconds on these machines. */
export async function migratedStore(): Promise<PgliteStore> {
  const store = await PgliteStore.open();
  await migrate(store);
  return store;
}
