import type { RateDecision, RateLimit, RateLimiter } from '#core/ports/rate-limits.ts';

/**
 * Token buckets in a Map, with the semantics of api_rate_take (migration 0029): a new key starts
 * full, a bucket refills `ratePerMinute` a minute up to `burst`, each request takes one token,
 * and a clock that goes back never refills it. test/store/rate-limits-contract.test.ts runs the
 * same tests against it and the SQL adapters.
 *
 * @example
 * const limiter = new InMemoryRateLimiter();
 * (await limiter.take('k1', { ratePerMinute: 60, burst: 1 }, new Date())).allowed; // true
 */
export class InMemoryRateLimiter implements RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  async take(keyId: string, limit: RateLimit, now: Date): Promise<RateDecision> {
    const perMs = Math.max(limit.ratePerMinute, 1) / 60_000;
    const bucket = this.buckets.get(keyId) ?? { tokens: limit.burst, at: now.getTime() };
    const available = Math.min(limit.burst, bucket.tokens + Math.max(0, now.getTime() - bucket.at) * perMs);
    const allowed = available >= 1;
    this.buckets.set(keyId, {
      tokens: allowed ? available - 1 : available,
      at: Math.max(now.getTime(), bucket.at),
    });
    return allowed
      ? { allowed, remaining: Math.floor(available - 1), retryAfterMs: 0 }
      : { allowed, remaining: 0, retryAfterMs: Math.ceil((1 - available) / perMs) };
  }
}
