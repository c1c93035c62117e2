import { rpcCall, type MigratableStore } from '../../ports/sql.ts';
import { SqlVector, SqlVectorList } from '../../ports/sql-vector.ts';
import type { DataDirLock } from './pglite-lock.ts';
import { binaryVectorParams, vectorTypes, type VectorTypes } from './pglite-vectors.ts';
import { literalRpcCall } from './sql-literal.ts';

/**
 * Added to PGlite's own start parameters. Postgres' 128 MB of shared buffers cost PGlite over a
 * third of its start (every process that opens the store: `carrier chat`, each CLI command,
 * `npm start`); its files are in memory or in the OS's cache already, so 16 MB hold what a turn
 * reads as well.
 */
export const START_PARAMS = ['-c', 'shared_buffers=16MB'];

/**
 * What the embedded stores share, wherever their PGlite runs (this thread: PgliteStore; a worker
 * thread: PgliteThreadStore): SQL functions called with literal arguments where they can be,
 * vectors sent in binary, and the data folder's lock. Subclasses only run statements.
 */
export abstract class EmbeddedPgliteStore implements MigratableStore {
  private types?: Promise<VectorTypes>;

  protected constructor(readonly lock?: DataDirLock) {}

  /** Runs a script by the simple protocol, rolled back if it fails inside `begin`; its first result's rows. */
  protected abstract script<Row>(sql: string): Promise<Row[]>;

  /** Runs one statement with parameters; those of the `binary` types go as the bytes they are. */
  protected abstract statement<Row>(sql: string, params: unknown[], binary: number[]): Promise<Row[]>;

  abstract close(): Promise<void>;

  async rpc<Row>(fn: string, args?: Record<string, unknown>): Promise<Row[]> {
    const literal = literalRpcCall(fn, args);
    if (literal !== undefined) return this.script<Row>(literal);
    const { sql, params } = rpcCall(fn, args);
    return this.query<Row>(sql, params);
  }

  /** Runs one statement; vector arguments (SqlVector, SqlVectorList) go in pgvector's binary form. */
  async query<Row>(sql: string, params: unknown[] = []): Promise<Row[]> {
    if (!params.some((p) => p instanceof SqlVector || p instanceof SqlVectorList)) {
      return this.statement<Row>(sql, params, []);
    }
    // Looked up at the first vector, not at open: migrations create the extension.
    this.types ??= vectorTypes((text) => this.statement(text, [], [])).catch((error: unknown) => {
      this.types = undefined;
      throw error;
    });
    const binary = binaryVectorParams(params, await this.types);
    return this.statement<Row>(sql, binary.params, binary.binary);
  }

  async exec(sql: string): Promise<void> {
    await this.script(sql);
  }
}
