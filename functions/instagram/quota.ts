import { GraphError } from './errors.ts';
import type { InstagramGraph } from './graph.ts';

/** Meta's documented default; the old documented value was 25. */
export const DEFAULT_QUOTA = { total: 50, windowSeconds: 86_400 };

export interface LiveQuota {
  total: number;
  windowSeconds: number;
  /** Publishes Meta counts in the window; undefined when it could not be read. */
  usage?: number;
}

/**
 * Reads each account's live publishing quota (content_publishing_limit) once per tick and keeps
 * it current as the tick publishes. When it cannot be read the default quota applies and the
 * store's own publish log is the only count, which is why both are consulted.
 *
 * @example const quota = await reader.read(accountId, graph); // { total: 50, windowSeconds: 86400, usage: 3 }
 */
export class QuotaReader {
  private readonly cache = new Map<string, LiveQuota>();
  /** The account each character publishes through, as read this tick. */
  private readonly accounts = new Map<string, string>();
  readonly notes: string[] = [];

  async read(accountId: string, graph: InstagramGraph, character?: string): Promise<LiveQuota> {
    if (character) this.accounts.set(character, accountId);
    const cached = this.cache.get(accountId);
    if (cached) return cached;
    let quota: LiveQuota;
    try {
      const live = await graph.publishingLimit();
      quota = {
        total: live.quotaTotal ?? DEFAULT_QUOTA.total,
        windowSeconds: live.quotaDurationSeconds ?? DEFAULT_QUOTA.windowSeconds,
        usage: live.quotaUsage,
      };
    } catch (error) {
      if (error instanceof GraphError && error.kind === 'reauth') throw error;
      quota = { ...DEFAULT_QUOTA };
      this.notes.push(
        `account ${accountId}: could not read content_publishing_limit (${(error as Error).message}); assuming ${quota.total} a day`,
      );
    }
    this.cache.set(accountId, quota);
    return quota;
  }

  /** Counts a publish made during this tick. */
  published(accountId: string): void {
    const quota = this.cache.get(accountId);
    if (quota?.usage !== undefined) quota.usage++;
  }

  /** Each character's quota read this tick whose usage Meta reported, with this tick's publishes. */
  used(): Array<{ character: string; used: number; total: number }> {
    return [...this.accounts].flatMap(([character, accountId]) => {
      const quota = this.cache.get(accountId);
      return quota?.usage === undefined ? [] : [{ character, used: quota.usage, total: quota.total }];
    });
  }

  /** Meta said the limit is reached, whatever the count said. */
  exhausted(accountId: string): void {
    const quota = this.cache.get(accountId);
    if (quota) quota.usage = quota.total;
  }
}
