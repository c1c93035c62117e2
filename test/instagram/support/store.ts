import { PgliteStore } from '#core/adapters/store/pglite.ts';
import { migrate, readMigrations } from '#core/adapters/store/migrate.ts';
import type { SqlStore } from '#core/ports/sql.ts';

/**
 * An in-memory PGlite with the posts migrations (0020–0024, and 0014 for their tenants) only, so these tests depend on no
 * other module's tables. Open one per test file: a PGlite takes seconds to start here.
 */
export async function openPostsDb(): Promise<PgliteStore> {
  const store = await PgliteStore.open();
  const migrations = (await readMigrations()).filter((m) => /^(002[0-4]|0014)_/.test(m.version));
  await migrate(store, migrations);
  return store;
}

/** Empties the posts tables between tests that share one database. */
export async function resetPosts(store: PgliteStore): Promise<void> {
  await store.exec('truncate publish_log, posts, instagram_accounts, post_tenants cascade');
}

/** A SqlStore that counts calls per function: the bench's "DB round trips" and the crash tests' kill switch. */
export class CountingStore implements SqlStore {
  readonly calls = new Map<string, number>();
  total = 0;
  constructor(
    private readonly inner: SqlStore,
    /** Called before each call; throw to simulate a process that died at that point. */
    private readonly before?: (fn: string, args: Record<string, unknown> | undefined) => void,
    /** Called after each successful call. */
    private readonly after?: (fn: string, rows: unknown[]) => void,
  ) {}

  async rpc<Row>(fn: string, args?: Record<string, unknown>): Promise<Row[]> {
    this.before?.(fn, args);
    this.total++;
    this.calls.set(fn, (this.calls.get(fn) ?? 0) + 1);
    const rows = await this.inner.rpc<Row>(fn, args);
    this.after?.(fn, rows);
    return rows;
  }

  async close(): Promise<void> {}
}
