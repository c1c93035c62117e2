import type { RateDecision, RateLimit, RateLimiter } from '../../ports/rate-limits.ts';
import type { SqlStore } from '../../ports/sql.ts';

/**
 * The token buckets of migration 0029 (api_rate_take as 0075 left it): one row per key, taken
 * under its row lock, so every API Lambda (or the local stack) shares one budget per key.
 *
 * @example
 * const limiter = new SqlRateLimiter(store);
 * (await limiter.take(keyId, { ratePerMinute: 60, burst: 10 }, new Date())).allowed; // true
 */
export class SqlRateLimiter implements RateLimiter {
  constructor(private readonly store: SqlStore) {}

  async take(keyId: string, limit: RateLimit, now: Date): Promise<RateDecision> {
    const [row] = await this.store.rpc<{ allowed: boolean; remaining: number; retry_after_ms: number }>(
      'api_rate_take',
      { p_key_id: keyId, p_rate_per_minute: limit.ratePerMinute, p_burst: limit.burst, p_now: now },
    );
    if (!row) throw new Error('api_rate_take returned no row');
    return {
      allowed: Boolean(row.allowed),
      remaining: Number(row.remaining),
      retryAfterMs: Number(row.retry_after_ms),
    };
  }
}
