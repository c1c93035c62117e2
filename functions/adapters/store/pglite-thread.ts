import { mkdir } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import { StoreError } from '../../ports/sql-errors.ts';
import { EmbeddedPgliteStore, START_PARAMS } from './pglite-base.ts';
import { lockDataDir, type DataDirLock } from './pglite-lock.ts';

type Reply = { id: number; rows?: unknown[]; error?: Record<string, unknown> };
type Started = { started: boolean; error?: Record<string, unknown> };

/** An error from the worker as the caller would have had it from PGlite: message, code, detail, ... */
function revive(fields: Record<string, unknown>): Error {
  const { message, name, ...rest } = fields;
  const error = Object.assign(new Error(String(message)), rest);
  if (typeof name === 'string') error.name = name;
  return error;
}

/**
 * The embedded store with PGlite on a worker thread of its own (pglite-host.mjs), for the local
 * stack: the HTTP server, the queue and the agents run on the main thread while Postgres runs
 * beside them, on the machine's second core, and a long statement (a knowledge import, the
 * vector index build) no longer stops the API from answering. Statements cross as messages
 * (structured clones of the SQL, the parameters and the rows), not over the wire protocol,
 * which cost more than the second core gave back. Same behaviour as PgliteStore otherwise; the
 * data folder's lock is held by this thread's process.
 *
 * @example
 * const store = await PgliteThreadStore.open('.carrier/pglite');
 * await store.rpc('turn_get', { p_id: 't1' });
 */
export class PgliteThreadStore extends EmbeddedPgliteStore {
  private next = 0;
  private readonly waiting = new Map<number, { resolve(rows: unknown[]): void; reject(e: Error): void }>();
  private gone?: Error;

  private constructor(
    private readonly worker: Worker,
    lock?: DataDirLock,
  ) {
    super(lock);
    worker.on('message', (reply: Reply) => {
      const waiter = this.waiting.get(reply.id);
      if (!waiter) return;
      this.waiting.delete(reply.id);
      if (reply.error) waiter.reject(revive(reply.error));
      else waiter.resolve(reply.rows ?? []);
    });
    // The thread dying (out of memory, a crash in PGlite) fails what waits, and what comes after.
    const fail = (reason: string) => {
      this.gone ??= new StoreError(`the embedded database stopped: ${reason}`, 'store_unavailable');
      for (const waiter of this.waiting.values()) waiter.reject(this.gone);
      this.waiting.clear();
    };
    worker.on('error', (error) => fail(error.message));
    worker.on('exit', (code) => fail(`its thread exited (code ${code})`));
  }

  /** As PgliteStore.open: file-backed under `dataDir`, else in memory (from `loadDataDir` if given). */
  static async open(dataDir?: string, options: { loadDataDir?: Blob } = {}): Promise<PgliteThreadStore> {
    let lock: DataDirLock | undefined;
    if (dataDir) {
      await mkdir(dataDir, { recursive: true });
      lock = await lockDataDir(dataDir);
    }
    try {
      const tarball = options.loadDataDir ? await options.loadDataDir.arrayBuffer() : undefined;
      const worker = new Worker(new URL('./pglite-host.mjs', import.meta.url), {
        workerData: { dataDir, tarball, startParams: START_PARAMS },
      });
      const started = await new Promise<Started>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
        worker.once('exit', (code) =>
          resolve({ started: false, error: { message: `exited (code ${code})` } }),
        );
      });
      if (!started.started) {
        await worker.terminate();
        throw revive(started.error ?? { message: 'the embedded database did not start' });
      }
      return new PgliteThreadStore(worker, lock);
    } catch (error) {
      await lock?.release();
      throw error;
    }
  }

  protected script<Row>(sql: string): Promise<Row[]> {
    return this.send({ op: 'exec', sql });
  }

  protected statement<Row>(sql: string, params: unknown[], binary: number[]): Promise<Row[]> {
    return this.send({ op: 'query', sql, params, binary });
  }

  async close(): Promise<void> {
    try {
      if (!this.gone) await this.send({ op: 'close' });
    } finally {
      this.gone = new StoreError('the embedded database is closed', 'store_closed');
      await this.worker.terminate();
      await this.lock?.release();
    }
  }

  private send<Row>(message: Record<string, unknown>): Promise<Row[]> {
    if (this.gone) return Promise.reject(this.gone);
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (rows: unknown[]) => void, reject });
      this.worker.postMessage({ id, ...message });
    });
  }
}
