import type { RateDecision, RateLimit, RateLimiter } from '#core/ports/rate-limits.ts';

/**
 * Token buckets in a Map, with the semantics of api_rate_take (migrations 0029 and 0075): a new
 * key starts full, a bucket refills `ratePerMinute` a minute up to `burst`, each request takes
 * one token, a clock that goes back never refills it, and once no whole token is left the
 * answer says when one is back. test/store/rate-limits-contract.test.ts runs the same tests
 * against it and the SQL adapters.
 *
 * @example
 * const limiter = new InMemoryRateLimiter();
 * (await limiter.take('k1', { ratePerMinute: 60, burst: 1 }, new Date())).allowed; // true
 */
export class InMemoryRateLimiter implements RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  async take(keyId: string, limit: RateLimit, now: Date): Promise<RateDecision> {
    const perMinute = Math.max(limit.ratePerMinute, 1);
    const bucket = this.buckets.get(keyId) ?? { tokens: limit.burst, at: now.getTime() };
    const refill = (Math.max(0, now.getTime() - bucket.at) * perMinute) / 60_000;
    const available = Math.min(limit.burst, bucket.tokens + refill);
    const allowed = available >= 1;
    const left = allowed ? available - 1 : available;
    this.buckets.set(keyId, { tokens: left, at: Math.max(now.getTime(), bucket.at) });
    return {
      allowed,
      remaining: Math.floor(left),
      retryAfterMs: left >= 1 ? 0 : Math.ceil(((1 - left) * 60_000) / perMinute),
    };
  }
}
