import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PgliteStore } from '#core/adapters/store/pglite.ts';
import { migrate, readMigrations } from '#core/adapters/store/migrate.ts';
import { storeTarget } from '#core/adapters/store/open.ts';
import { perFile } from './per-file.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CACHE_DIR = join(ROOT, 'node_modules/.cache/carrier-tests');
const require = createRequire(import.meta.url);

/** What the dump depends on: every migration's text and the PGlite and pgvector builds. */
async function dumpKey(): Promise<string> {
  const hash = createHash('sha256');
  for (const m of await readMigrations()) hash.update(`${m.version}\0${m.sql}\0`);
  for (const pkg of ['@electric-sql/pglite', '@electric-sql/pglite-pgvector']) {
    const manifest = join(dirname(require.resolve(pkg)), '..', 'package.json');
    hash.update(JSON.parse(await readFile(manifest, 'utf8')).version as string);
  }
  return hash.digest('hex').slice(0, 16);
}

/**
 * The data folder of a freshly migrated PGlite as a tarball, made once and kept under
 * node_modules/.cache until a migration or PGlite changes. A new PGlite runs initdb, which is
 * what costs seconds here; one started from this tarball skips it and the 30 migrations.
 * Two workers racing to make it both write a whole file and rename it into place.
 */
async function migratedDump(): Promise<Blob> {
  const file = join(CACHE_DIR, `pglite-migrated-${await dumpKey()}.tar`);
  try {
    return new Blob([await readFile(file)]);
  } catch {
    const store = await PgliteStore.open();
    await migrate(store);
    const dump = await store.db.dumpDataDir('none');
    await store.close();
    await mkdir(CACHE_DIR, { recursive: true });
    const partial = `${file}.${process.pid}.${Date.now()}`;
    await writeFile(partial, Buffer.from(await dump.arrayBuffer()));
    await rename(partial, file);
    return dump;
  }
}

/**
 * An in-memory PGlite with every migration applied, for tests that need the SQL itself
 * (adapters, contract suites, the local stack). Logic tests use the fakes in test/fakes.
 *
 * @example
 * const store = await openMigratedPglite();
 * await store.rpc('turn_get', { p_id: 't1' }); // []
 */
export async function openMigratedPglite(): Promise<PgliteStore> {
  return PgliteStore.open(undefined, { loadDataDir: await migratedDump() });
}

/**
 * Makes `dataDir` a CARRIER_DATA_DIR whose file-backed PGlite is already migrated, for tests
 * of commands and handlers that open it themselves but are not about the first migration.
 *
 * @example
 * await seedMigratedDataDir(dataDir); // then run `carrier keys create` with CARRIER_DATA_DIR=dataDir
 */
export async function seedMigratedDataDir(dataDir: string): Promise<void> {
  const store = await PgliteStore.open(storeTarget({ CARRIER_DATA_DIR: dataDir }).where, {
    loadDataDir: await migratedDump(),
  });
  await store.close();
}

/**
 * One migrated PGlite for the calling test file, opened before its tests and closed after.
 * Call the returned function inside tests (the store opens in beforeAll).
 *
 * @example
 * const store = useMigratedPglite();
 * it('reads', async () => expect(await store().rpc('turn_get', { p_id: 'x' })).toEqual([]));
 */
export function useMigratedPglite(): () => PgliteStore {
  return perFile('the migrated PGlite', openMigratedPglite, (store) => store.close());
}

/** Empties every table the migrations made (schema_migrations aside), between tests sharing one PGlite. */
export async function emptyTables(store: PgliteStore): Promise<void> {
  await store.exec(
    'delete from memories; delete from embedding_cache; delete from turns; delete from api_keys; delete from publish_log; delete from posts; delete from instagram_accounts; delete from turn_usage; delete from budget_counters;',
  );
}
