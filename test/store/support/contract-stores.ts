import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import type { PgliteStore } from '#core/adapters/store/pglite.ts';
import { PostgresStore } from '#core/adapters/store/postgres.ts';
import { SupabaseStore } from '#core/adapters/store/supabase.ts';
import type { SqlStore } from '#core/ports/sql.ts';
import { supabaseFetch } from '#test/fakes/supabase-fetch.ts';
import { perFile } from '#test/support/per-file.ts';
import { emptyTables, openMigratedPglite } from '#test/support/pglite.ts';

export const SERVICE_ROLE_KEY = 'test-service-role-key';

/** The three SQL adapters a store port's contract suite runs against. */
export const SQL_ADAPTERS = ['pglite', 'postgres', 'supabase'] as const;
export type SqlAdapterName = (typeof SQL_ADAPTERS)[number];

export interface ContractStores {
  /** The one migrated PGlite every adapter reaches: set up and inspect state through it. */
  db: PgliteStore;
  adapters: Record<SqlAdapterName, SqlStore>;
  /** Empties every table between tests. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The three adapters over one PGlite: in process, over the wire protocol (pglite-socket), and
 * through supabase-js with its fetch routed to the same SQL functions. One PGlite per test
 * file, since starting one costs seconds here.
 */
export async function openContractStores(): Promise<ContractStores> {
  const db = await openMigratedPglite();
  const server = new PGLiteSocketServer({ db: db.db, host: '127.0.0.1', port: 0 });
  await server.start();
  const postgres = PostgresStore.open(`postgres://postgres:postgres@${server.getServerConn()}/postgres`, {
    max: 1,
  });
  const supabase = SupabaseStore.open('http://127.0.0.1:54321', SERVICE_ROLE_KEY, {
    fetch: supabaseFetch(db.db, SERVICE_ROLE_KEY),
  });
  return {
    db,
    adapters: { pglite: db, postgres, supabase },
    reset: () => emptyTables(db),
    async close() {
      await postgres.close();
      await server.stop();
      await db.close();
    },
  };
}

/**
 * The contract stores for the calling test file, opened before its tests and closed after.
 * Read them inside tests or hooks.
 *
 * @example
 * const stores = useContractStores();
 * beforeEach(() => stores().reset());
 */
export function useContractStores(): () => ContractStores {
  return perFile('the contract stores', openContractStores, (stores) => stores.close());
}
