import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { EmbeddedPgliteStore, START_PARAMS } from './pglite-base.ts';
import { lockDataDir, type DataDirLock } from './pglite-lock.ts';
import { asIsSerializers } from './pglite-vectors.ts';

/**
 * The embedded default store: PGlite with pgvector, file-backed under CARRIER_DATA_DIR, or in
 * memory when `dataDir` is omitted (tests). `loadDataDir` starts it from a `dumpDataDir()`
 * tarball instead of running initdb (tests start from one migrated dump). A data folder is
 * held by one process at a time (`lock`), which PGlite itself does not ensure. PGlite runs on
 * the calling thread; the local stack runs it on a thread of its own (PgliteThreadStore).
 */
export class PgliteStore extends EmbeddedPgliteStore {
  private constructor(
    readonly db: PGlite,
    lock?: DataDirLock,
  ) {
    super(lock);
  }

  static async open(dataDir?: string, options: { loadDataDir?: Blob } = {}): Promise<PgliteStore> {
    const settings = {
      ...options,
      extensions: { vector },
      startParams: [...PGlite.defaultStartParams, ...START_PARAMS],
    };
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

  protected async script<Row>(sql: string): Promise<Row[]> {
    try {
      return ((await this.db.exec(sql))[0]?.rows ?? []) as Row[];
    } catch (error) {
      if (this.db.isInTransaction()) await this.db.exec('rollback');
      throw error;
    }
  }

  protected async statement<Row>(sql: string, params: unknown[], binary: number[]): Promise<Row[]> {
    const options = binary.length ? { serializers: asIsSerializers(binary) } : undefined;
    return (await this.db.query<Row>(sql, params, options)).rows;
  }

  async close(): Promise<void> {
    try {
      await this.db.close();
    } finally {
      await this.lock?.release();
    }
  }
}
