import { existsSync } from 'node:fs';
import { ProbeError } from '../../doctor/check.ts';
import type { StoreFacts } from '../../doctor/probes.ts';
import type { MigratableStore } from '../../ports/sql.ts';
import { StoreError } from '../../ports/sql-errors.ts';
import { readMigrations } from '../store/migrate.ts';
import { readLockHolder } from '../store/pglite-lock.ts';
import { openMigratableStore, storeTarget } from '../store/open.ts';

type Env = Record<string, string | undefined>;

/**
 * Looks at the store the settings select without changing it: which migrations it has (from
 * schema_migrations) and what it knows about Instagram tokens. A PGlite folder that does not
 * exist is reported, not created, and one the local stack holds is reported as held; Supabase
 * without DATABASE_URL is only called once over RPC.
 *
 * @example
 * const facts = await probeStore(settings.env); // { kind: 'pglite', applied: [...], expected: [...] }
 */
export async function probeStore(env: Env): Promise<StoreFacts> {
  const target = describe(() => storeTarget(env));
  const expected = (await readMigrations()).map((m) => m.version);
  const facts: StoreFacts = { ...target, exists: true, expected, tokens: new Map() };
  if (target.kind === 'pglite' && !existsSync(target.where)) return { ...facts, exists: false };
  if (target.kind === 'pglite') {
    // The local stack keeps its folder open while it runs: it is in use, not broken.
    const holder = await readLockHolder(target.where);
    if (holder?.url) return { ...facts, heldBy: { pid: holder.pid, url: holder.url } };
  }
  if (target.kind === 'supabase' && !env.DATABASE_URL) {
    const { SupabaseStore } = await import('../store/supabase.ts');
    const store = SupabaseStore.open(env.SUPABASE_URL!, env.SUPABASE_SERVICE_ROLE_KEY!);
    await describeAsync(() => store.rpc('memory_stats', {}));
    return facts;
  }
  const store = await describeAsync(() => openMigratableStore(env));
  try {
    facts.applied = await describeAsync(() => versions(store));
    facts.tokens = await tokens(store);
    return facts;
  } finally {
    await store.close();
  }
}

async function versions(store: MigratableStore): Promise<string[]> {
  const [table] = await store.query<{ present: boolean }>(
    "select to_regclass('schema_migrations') is not null as present",
  );
  if (!table?.present) return [];
  const rows = await store.query<{ version: string }>(
    'select version from schema_migrations order by version',
  );
  return rows.map((r) => r.version);
}

async function tokens(store: MigratableStore): Promise<StoreFacts['tokens']> {
  const [table] = await store.query<{ present: boolean }>(
    "select to_regclass('instagram_accounts') is not null as present",
  );
  if (!table?.present) return new Map();
  const rows = await store.query<{
    account_id: string;
    token_sha256: string | null;
    token_expires_at: Date | string | null;
  }>('select account_id, token_sha256, token_expires_at from instagram_accounts');
  return new Map(
    rows
      .filter((r) => r.token_sha256)
      .map((r) => [
        r.account_id,
        {
          sha256: r.token_sha256!,
          ...(r.token_expires_at ? { expiresAt: new Date(r.token_expires_at) } : {}),
        },
      ]),
  );
}

/** StoreErrors say what is wrong; here they also say which kind of wrong, for the fix. */
function toProbeError(error: unknown): unknown {
  if (!(error instanceof StoreError)) return error;
  const sqlState = (error.cause as { code?: unknown } | undefined)?.code;
  const kind =
    error.code === 'store_auth' || sqlState === '28P01' || sqlState === '28000'
      ? 'rejected'
      : error.code === 'store_config'
        ? 'invalid'
        : error.code === 'store_not_migrated'
          ? 'missing'
          : error.code === 'store_in_use'
            ? 'busy'
            : 'unreachable';
  return new ProbeError(error.message, kind, { cause: error });
}

function describe<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    throw toProbeError(error);
  }
}

async function describeAsync<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw toProbeError(error);
  }
}
