import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { rpcCall, type MigratableStore } from '../../ports/sql.ts';
import { SqlVector, SqlVectorList } from '../../ports/sql-vector.ts';
import { literalRpcCall } from './sql-literal.ts';
import { lockDataDir, type DataDirLock } from './pglite-lock.ts';
import { binaryVectorParams, vectorTypes, type VectorTypes } from './pglite-vectors.ts';

/**
 * Postgres' 128 MB of shared buffers cost PGlite over a third of its start (every process that
 * opens the store: `carrier chat`, each CLI command, `npm start`); its files are in memory or
 * in the OS's cache already, so 16 MB hold what a turn reads as well.
 */
const START_PARAMS = [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'];

/**
 * The embedded default store: PGlite with pgvector, file-backed under CARRIER_DATA_DIR, or in
 * memory when `dataDir` is omitted (tests). `loadDataDir` starts it from a `dumpDataDir()`
 * tarball instead of running initdb (tests start from one migrated dump). A data folder is
 * held by one process at a time (`lock`), which PGlite itself does not ensure.
 */
export class PgliteStore implements MigratableStore {
  private types?: Promise<VectorTypes>;

  private constructor(
    readonly db: PGlite,
    readonly lock?: DataDirLock,
  ) {}

  static async open(dataDir?: string, options: { loadDataDir?: Blob } = {}): Promise<PgliteStore> {
    const settings = { ...options, extensions: { vector }, startParams: START_PARAMS };
    if (!dataDir) return new PgliteStore(await PGlite.create(settings));
    await mkdir(dataDir, { recursive: true });
    const lock = await lockDataDir(dataDir);
    try {
      return new PgliteStore(await PGlite.create({ dataDir, ...settings }), lock);
    } catch (error) {
      await lock.release();
      throw error;
    }
  }

  async rpc<Row>(fn: string, args?: Record<string, unknown>): Promise<Row[]> {
    const literal = literalRpcCall(fn, args);
    if (literal !== undefined) return ((await this.db.exec(literal))[0]?.rows ?? []) as Row[];
    const { sql, params } = rpcCall(fn, args);
    return this.query<Row>(sql, params);
  }

  /** Runs one statement; vector arguments (SqlVector, SqlVectorList) go in pgvector's binary form. */
  async query<Row>(sql: string, params: unknown[] = []): Promise<Row[]> {
    if (!params.some((p) => p instanceof SqlVector || p instanceof SqlVectorList)) {
      return (await this.db.query<Row>(sql, params)).rows;
    }
    // Looked up at the first vector, not at open: migrations create the extension.
    this.types ??= vectorTypes(this.db).catch((error: unknown) => {
      this.types = undefined;
      throw error;
    });
    const binary = binaryVectorParams(params, await this.types);
    return (await this.db.query<Row>(sql, binary.params, { serializers: binary.serializers })).rows;
  }

  /** Runs a script; if it fails inside `begin`, the transaction is rolled back, not left open. */
  async exec(sql: string): Promise<void> {
    try {
      await this.db.exec(sql);
    } catch (error) {
      if (this.db.isInTransaction()) await this.db.exec('rollback');
      throw error;
    }
  }

  async close(): Promise<void> {
    try {
      await this.db.close();
    } finally {
      await this.lock?.release();
    }
  }
}
