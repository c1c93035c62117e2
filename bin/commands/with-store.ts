import { openStore } from '#core/adapters/store/open.ts';
import type { Settings } from '#core/config/settings.ts';
import type { SqlStore } from '#core/ports/sql.ts';
import { loadSettings } from '#core/wiring/settings.ts';

/**
 * Runs `fn` on the store the settings select, as the local stack and the API do (Supabase or
 * DATABASE_URL when set, else the local PGlite, migrated), and closes it. `settings` when the
 * command has read them already; else process env over `.env`.
 *
 * @example
 * await withStore((store) => new SqlApiKeyRepository(store).list());
 */
export async function withStore<T>(
  fn: (store: SqlStore, settings: Settings) => Promise<T>,
  settings?: Settings,
): Promise<T> {
  const loaded = settings ?? (await loadSettings());
  const store = await openStore(loaded.env, { migrate: true });
  try {
    return await fn(store, loaded);
  } finally {
    await store.close();
  }
}
