import type { SqlStore } from '#core/ports/sql.ts';

/**
 * A SqlStore that counts calls per SQL function: the bench's "DB round trips per post step".
 *
 * @example
 * const counting = new CountingStore(db);
 * await new SqlPostRepository(counting).get('p1');
 * counting.calls.get('post_get'); // 1
 */
export class CountingStore implements SqlStore {
  readonly calls = new Map<string, number>();
  total = 0;
  constructor(private readonly inner: SqlStore) {}

  async rpc<Row>(fn: string, args?: Record<string, unknown>): Promise<Row[]> {
    this.total++;
    this.calls.set(fn, (this.calls.get(fn) ?? 0) + 1);
    return this.inner.rpc<Row>(fn, args);
  }

  async close(): Promise<void> {}
}
