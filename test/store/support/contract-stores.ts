import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { PgliteStore } from '#core/adapters/store/pglite.ts';
import { PostgresStore } from '#core/adapters/store/postgres.ts';
import { SupabaseStore } from '#core/adapters/store/supabase.ts';
import type { SqlStore } from '#core/ports/sql.ts';
import { migrate } from '#core/adapters/store/migrate.ts';
import { supabaseFetch } from '#test/fakes/supabase-fetch.ts';

export const SERVICE_ROLE_KEY = 'test-service-role-key';

export interface ContractStores {
  /** The one migrated PGlite every adapter reaches: set up and inspect state through it. */
  db: PgliteStore;
  adapters: Record<'pglite' | 'postgres' | 'supabase', SqlStore>;
  /** Empties the memory tables (and turns) between tests. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The three adapters over one PGlite: in process, over the wire protocol (pglite-socket), and
 * through supabase-js with its fetch routed to the same SQL functions. One PGlite per test
 * file, since starting one costs seconds here.
 */
export async function openContractStores(): Promise<ContractStores> {
  const db = await PgliteStore.open();
  await migrate(db);
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
    reset: () => db.exec('truncate memories, embedding_cache, forgotten_turns; delete from turns;'),
    async close() {
      await postgres.close();
      await server.stop();
      await db.close();
    },
  };
}
