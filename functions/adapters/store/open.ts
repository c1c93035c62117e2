import { join } from 'node:path';
import type { MigratableStore, SqlStore } from '../../ports/sql.ts';
import { StoreError } from '../../ports/sql-errors.ts';
import { migrate } from './migrate.ts';

export type StoreEnv = Record<string, string | undefined>;

/**
 * A Lambda container runs one invocation at a time, so it can use only one connection; a pool
 * of 5 per warm container would hold connections it never uses, and a few hundred containers
 * would exhaust the server's or the pooler's connection limit (Supabase's smaller plans allow
 * 60 direct connections).
 */
export const LAMBDA_POOL_SIZE = 1;

export type StoreKind = 'supabase' | 'postgres' | 'pglite';

/** Which store the configuration selects, and where it is (for messages and `memory stats`). */
export function storeTarget(env: StoreEnv = process.env): { kind: StoreKind; where: string } {
  if (env.SUPABASE_URL && env.SUPABASE_SERVICE_ROLE_KEY) return { kind: 'supabase', where: env.SUPABASE_URL };
  if (env.SUPABASE_URL || env.SUPABASE_SERVICE_ROLE_KEY) {
    const missing = env.SUPABASE_URL ? 'SUPABASE_SERVICE_ROLE_KEY' : 'SUPABASE_URL';
    throw new StoreError(
      `${missing} is not set: Supabase needs both SUPABASE_URL and SUPABASE_SERVICE_ROLE_KEY (Project Settings → API)`,
      'store_config',
    );
  }
  if (env.DATABASE_URL) return { kind: 'postgres', where: redact(env.DATABASE_URL) };
  return { kind: 'pglite', where: join(env.CARRIER_DATA_DIR || '.carrier', 'pglite') };
}

export interface OpenStoreOptions {
  /**
   * Apply the migrations when the store is the embedded PGlite, which has no deploy step of its
   * own: the local stack and the CLI set it. Postgres and Supabase are left as they are (they
   * are migrated by deploy or `npx carrier memory init`, never by a command that only reads).
   */
  migrate?: boolean;
  /**
   * Run the embedded PGlite on a worker thread of its own (PgliteThreadStore): the local stack
   * sets it, so SQL runs beside its HTTP server and agents. One-shot commands keep it inline.
   */
  thread?: boolean;
}

/**
 * Opens the store the configuration selects: SUPABASE_URL + SUPABASE_SERVICE_ROLE_KEY →
 * Supabase (SQL functions by RPC); DATABASE_URL → Postgres (no prepared statements, so
 * Supabase's transaction pooler works); otherwise the embedded PGlite under
 * `${CARRIER_DATA_DIR:-.carrier}/pglite`. Every process opens its store here, so the local
 * stack, the runner and the CLI always agree on where keys, turns and memories are.
 *
 * @example
 * const settings = await loadSettings();
 * const store = await openStore(settings.env, { migrate: true });
 * const rows = await store.rpc('memory_stats', {});
 */
export async function openStore(
  env: StoreEnv = process.env,
  options: OpenStoreOptions = {},
): Promise<SqlStore> {
  const target = storeTarget(env);
  if (target.kind === 'supabase') {
    const { SupabaseStore } = await import('./supabase.ts');
    return SupabaseStore.open(env.SUPABASE_URL!, env.SUPABASE_SERVICE_ROLE_KEY!);
  }
  const store = await openMigratableStore(env, options);
  if (options.migrate && target.kind === 'pglite') {
    try {
      await migrate(store);
    } catch (error) {
      await store.close();
      throw error;
    }
  }
  return store;
}

/**
 * Opens a store that can run migrations: Postgres (DATABASE_URL) or PGlite. Supabase's RPC
 * transport cannot run DDL, so with Supabase configured this wants its DATABASE_URL too.
 *
 * @example await migrate(await openMigratableStore(process.env));
 */
export async function openMigratableStore(
  env: StoreEnv = process.env,
  options: Pick<OpenStoreOptions, 'thread'> = {},
): Promise<MigratableStore> {
  // Each driver is loaded only when it is the one configured: PGlite alone takes ~0.5 s to import.
  if (env.DATABASE_URL) {
    const { PostgresStore } = await import('./postgres.ts');
    return PostgresStore.open(
      env.DATABASE_URL,
      env.AWS_LAMBDA_FUNCTION_NAME ? { max: LAMBDA_POOL_SIZE } : {},
    );
  }
  const target = storeTarget(env);
  if (target.kind === 'supabase') {
    throw new StoreError(
      'migrations need a SQL connection: set DATABASE_URL to the Supabase connection string (Project Settings → Database)',
      'store_config',
    );
  }
  if (options.thread) {
    const { PgliteThreadStore } = await import('./pglite-thread.ts');
    return PgliteThreadStore.open(target.where);
  }
  const { PgliteStore } = await import('./pglite.ts');
  return PgliteStore.open(target.where);
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'DATABASE_URL';
  }
}
