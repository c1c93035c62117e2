import { createHash } from 'node:crypto';
import { cp, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { PgliteStore } from '#core/adapters/store/pglite.ts';
import { PgliteThreadStore } from '#core/adapters/store/pglite-thread.ts';
import { migrate, readMigrations } from '#core/adapters/store/migrate.ts';
import { storeTarget } from '#core/adapters/store/open.ts';
import { perFile } from './per-file.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CACHE_DIR = join(ROOT, 'node_modules/.cache/carrier-tests');
const require = createRequire(import.meta.url);

/** A short hash of what a dump depends on: the PGlite and pgvector builds, and `more`. */
async function dumpKey(more: string[]): Promise<string> {
  const hash = createHash('sha256');
  for (const pkg of ['@electric-sql/pglite', '@electric-sql/pglite-pgvector']) {
    const manifest = join(dirname(require.resolve(pkg)), '..', 'package.json');
    hash.update(`${JSON.parse(await readFile(manifest, 'utf8')).version as string}\0`);
  }
  for (const part of more) hash.update(`${part}\0`);
  return hash.digest('hex').slice(0, 16);
}

/**
 * A dump held in memory, handed to PGlite as it is: PGlite reads the tarball and copies each
 * file into its own file system, never writing to it. Node 20's Blob.arrayBuffer() copied a
 * 42 MB dump in small chunks (half a second of every PGlite a test started), and a copy of
 * our own still cost 0.2 s of each start in allocation and GC.
 */
class DumpBlob extends Blob {
  readonly #tar: ArrayBuffer;

  constructor(tar: ArrayBuffer) {
    super([]);
    this.#tar = tar;
  }

  override async arrayBuffer(): Promise<ArrayBuffer> {
    return this.#tar;
  }
}

/** The bytes of `view` as an ArrayBuffer of their own (a Buffer may be a view of a larger one). */
const wholeBuffer = (view: Uint8Array): ArrayBuffer =>
  view.byteOffset === 0 && view.byteLength === view.buffer.byteLength
    ? (view.buffer as ArrayBuffer)
    : new Uint8Array(view).buffer;

/** Dumps read already, by file: test files share a worker, and each starts several PGlites. */
const dumps = new Map<string, Promise<ArrayBuffer>>();

/**
 * A PGlite data folder as a tarball, made once by `make` and kept under node_modules/.cache
 * until what it depends on changes. A new PGlite runs initdb, which is what costs seconds
 * here; one started from a tarball skips it. Two workers racing to make the same one both
 * write a whole file and rename it into place.
 */
async function cachedDump(name: string, key: string, make: () => Promise<Blob>): Promise<Blob> {
  const file = join(CACHE_DIR, `pglite-${name}-${key}.tar`);
  let bytes = dumps.get(file);
  if (!bytes) {
    bytes = readFile(file).then(wholeBuffer, async () => {
      const made = await (await make()).arrayBuffer();
      await mkdir(CACHE_DIR, { recursive: true });
      const partial = `${file}.${process.pid}.${Date.now()}`;
      await writeFile(partial, new Uint8Array(made));
      await rename(partial, file);
      await pruneOlder(name, key);
      return made;
    });
    dumps.set(file, bytes);
    bytes.catch(() => dumps.delete(file));
  }
  return new DumpBlob(await bytes);
}

/**
 * Removes the dumps and data-folder templates of `name` made for other keys (older migrations
 * or PGlite builds): each is 40 MB, and nothing else would ever read them again.
 */
async function pruneOlder(name: string, key: string): Promise<void> {
  const prefix = `pglite-${name}-`;
  for (const entry of await readdir(CACHE_DIR)) {
    if (entry.startsWith(prefix) && !entry.startsWith(`${prefix}${key}`) && !/\.\d+\.\d+$/.test(entry))
      await rm(join(CACHE_DIR, entry), { recursive: true, force: true });
  }
}

/** The key of everything migrated: every migration's text besides the builds. */
async function migratedKey(): Promise<string> {
  return dumpKey((await readMigrations()).map((m) => `${m.version}\n${m.sql}`));
}

/** The data folder of a PGlite with every migration applied (the fresh dump's initdb, reused). */
async function migratedDump(): Promise<Blob> {
  return cachedDump('migrated', await migratedKey(), async () => {
    const store = await PgliteStore.open(undefined, { loadDataDir: await freshPgliteDump() });
    await migrate(store);
    const dump = await store.db.dumpDataDir('none');
    await store.close();
    return dump;
  });
}

/**
 * The data folder of a PGlite just after initdb: no extension created, no migration applied.
 * Start a PGlite from it, with or without the pgvector extension loaded, for tests of what the
 * migrations do to a new database.
 *
 * @example
 * const bare = await PGlite.create({ loadDataDir: await freshPgliteDump() }); // no pgvector
 */
export async function freshPgliteDump(): Promise<Blob> {
  return cachedDump('fresh', await dumpKey([]), async () => {
    const db = await PGlite.create();
    const dump = await db.dumpDataDir('none');
    await db.close();
    return dump;
  });
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
 * The same, with PGlite on a worker thread of its own, as the local stack runs it.
 *
 * @example
 * const store = await openMigratedPgliteThread();
 */
export async function openMigratedPgliteThread(): Promise<PgliteThreadStore> {
  return PgliteThreadStore.open(undefined, { loadDataDir: await migratedDump() });
}

/**
 * A file-backed PGlite data folder started from `dump` and closed cleanly, made once per dump
 * and kept beside it: seeding a command's data dir is then a file copy (tens of ms), where
 * opening PGlite to load the dump costs a second or more per test process.
 */
async function dataDirTemplate(name: string, key: string, dump: () => Promise<Blob>): Promise<string> {
  const dir = join(CACHE_DIR, `pglite-${name}-${key}`);
  if (await stat(join(dir, 'PG_VERSION')).catch(() => undefined)) return dir;
  const partial = `${dir}.${process.pid}.${Date.now()}`;
  const store = await PgliteStore.open(partial, { loadDataDir: await dump() });
  await store.close();
  // Another worker may have made it meanwhile: theirs is as good as ours.
  await rename(partial, dir).catch(() => rm(partial, { recursive: true, force: true }));
  return dir;
}

/** The migrated data folder that seedMigratedDataDir copies (made before any test starts). */
export async function migratedTemplate(): Promise<string> {
  return dataDirTemplate('migrated', await migratedKey(), migratedDump);
}

/**
 * Makes `dataDir` a CARRIER_DATA_DIR whose file-backed PGlite is already migrated, for tests
 * of commands and handlers that open it themselves but are not about the first migration.
 *
 * @example
 * await seedMigratedDataDir(dataDir); // then run `carrier keys create` with CARRIER_DATA_DIR=dataDir
 */
export async function seedMigratedDataDir(dataDir: string): Promise<void> {
  await cp(await migratedTemplate(), storeTarget({ CARRIER_DATA_DIR: dataDir }).where, { recursive: true });
}

/**
 * Makes `dataDir` a CARRIER_DATA_DIR whose PGlite has been through initdb and nothing else, for
 * tests of the first migration that are not about initdb (seconds of CPU; open-store tests it).
 *
 * @example
 * await seedFreshDataDir(dataDir); // `carrier memory init` then applies every migration
 */
export async function seedFreshDataDir(dataDir: string): Promise<void> {
  const template = await dataDirTemplate('fresh', await dumpKey([]), freshPgliteDump);
  await cp(template, storeTarget({ CARRIER_DATA_DIR: dataDir }).where, { recursive: true });
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
    'delete from memories; delete from embedding_cache; delete from turns; delete from forgotten_turns; delete from api_keys; delete from api_rate_buckets; delete from publish_log; delete from post_tenants; delete from posts; delete from instagram_accounts; delete from turn_usage; delete from budget_counters; delete from schedules; delete from live_connections; delete from memory_vector_index;',
  );
}
