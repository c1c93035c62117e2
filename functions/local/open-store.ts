import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { PgliteStore } from '../adapters/pglite-store.ts';
import { migrate } from '../store/migrate.ts';

/**
 * The local stack's store: PGlite under `<dataDir>/pglite`, migrated. One process at a time
 * may open it (PGlite is single-user), so CLI commands that need it run while `npm start` is off.
 *
 * @example
 * const store = await openLocalStore('.carrier');
 */
export async function openLocalStore(dataDir: string): Promise<PgliteStore> {
  await mkdir(dataDir, { recursive: true });
  const store = await PgliteStore.open(join(dataDir, 'pglite'));
  await migrate(store);
  return store;
}
