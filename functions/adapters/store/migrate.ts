import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { MigratableStore } from '../../ports/sql.ts';
import { StoreError } from '../../ports/sql-errors.ts';

export const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

export interface Migration {
  version: string;
  sql: string;
}

/** The migrations' file names in order: `NNNN_name.sql` in functions/store/migrations. */
async function migrationFiles(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((n) => /^\d{4}_[a-z0-9_]+\.sql$/.test(n)).sort();
}

/** The migrations in order: `NNNN_name.sql` files in functions/store/migrations. */
export async function readMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const names = await migrationFiles(dir);
  return Promise.all(
    names.map(async (n) => ({ version: n.replace(/\.sql$/, ''), sql: await readFile(`${dir}${n}`, 'utf8') })),
  );
}

/**
 * Applies the migrations not applied yet, each in its own transaction, and returns the
 * versions it applied. Safe to run again: applied versions are recorded in schema_migrations.
 */
export async function migrate(store: MigratableStore, migrations?: Migration[]): Promise<string[]> {
  // A store already up to date (every start but the first) costs two reads: no DDL, no file read.
  if (!migrations && (await upToDate(store))) return [];
  await store.exec(
    'create table if not exists schema_migrations (version text primary key, applied_at timestamptz not null default now())',
  );
  const applied = new Set(
    (await store.query<{ version: string }>('select version from schema_migrations')).map((r) => r.version),
  );
  const done: string[] = [];
  for (const m of migrations ?? (await readMigrations())) {
    if (applied.has(m.version)) continue;
    try {
      await store.exec(
        `begin;\n${m.sql}\n;insert into schema_migrations(version) values ('${m.version.replace(/'/g, "''")}');\ncommit;`,
      );
    } catch (error) {
      throw migrationError(m.version, error);
    }
    done.push(m.version);
  }
  if (done.length) await restrictAccess(store);
  return done;
}

/** Whether every migration file's version is recorded as applied; false when none ever was. */
async function upToDate(store: MigratableStore): Promise<boolean> {
  const [known] = await store.query<{ present: boolean }>(
    "select to_regclass('schema_migrations') is not null as present",
  );
  if (!known?.present) return false;
  const applied = new Set(
    (await store.query<{ version: string }>('select version from schema_migrations')).map((r) => r.version),
  );
  return (await migrationFiles(MIGRATIONS_DIR)).every((n) => applied.has(n.replace(/\.sql$/, '')));
}

/**
 * Closes what the migrations just created to every role but the owner and Supabase's
 * service_role (see 0035_restrict_access.sql): row-level security has no default, so each new
 * table needs it switched on. Skipped for migration lists that do not define the function.
 */
async function restrictAccess(store: MigratableStore): Promise<void> {
  const [fn] = await store.query<{ present: boolean }>(
    "select to_regprocedure('store_restrict_access()') is not null as present",
  );
  if (fn?.present) await store.exec('select store_restrict_access();');
}

/** One line naming the migration and the fix; the whole migration was rolled back. */
function migrationError(version: string, error: unknown): StoreError {
  if (error instanceof StoreError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const fix = /extension "vector"|type "vector" does not exist/i.test(message)
    ? ': the pgvector extension is not available; install pgvector on this server (Supabase: Database → Extensions → vector)'
    : '';
  return new StoreError(
    `migration ${version} failed and was rolled back (nothing of it was applied): ${message}${fix}`,
    'migration_failed',
    { cause: error },
  );
}
