import type { MiddlewareHandler } from 'hono';
import type { Principal } from '../ports/api-keys.ts';
import type { KeyLimitSettings, RateDecision, RateLimiter } from '../ports/rate-limits.ts';
import type { ApiEnv } from './auth.ts';
import { ApiError } from './errors.ts';

/**
 * A key's limits: its own where it has them, the environment's otherwise.
 *
 * @example
 * keyLimits(principal, { ratePerMinute: 120, burst: 60, maxInFlight: 20 }).burst; // 60 unless the key says
 */
export function keyLimits(principal: Principal, defaults: KeyLimitSettings): KeyLimitSettings {
  return { ...defaults, ...principal.limits };
}

/**
 * Per-key rate limit, after authentication: every request takes a token from the key's bucket.
 * Each answer says the limit (`RateLimit-Limit`, requests a minute), what is left
 * (`RateLimit-Remaining`) and when a token is back (`RateLimit-Reset`, seconds: 0 while tokens
 * remain); a refused one is a 429 with `Retry-After`.
 */
export function limitRate(
  limiter: RateLimiter,
  defaults: KeyLimitSettings,
  now: () => Date,
): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const principal = c.get('principal');
    const limit = keyLimits(principal, defaults);
    const decision = await limiter.take(principal.keyId, limit, now());
    const headers = {
      'RateLimit-Limit': String(limit.ratePerMinute),
      'RateLimit-Remaining': String(decision.remaining),
      'RateLimit-Reset': String(secondsUntilToken(decision)),
    };
    if (!decision.allowed) {
      const seconds = secondsUntilToken(decision);
      throw new ApiError(
        429,
        'rate_limited',
        `this API key may send ${limit.ratePerMinute} requests a minute (${limit.burst} at once); try again in ${seconds} s`,
        undefined,
        { ...headers, 'Retry-After': String(seconds) },
      );
    }
    await next();
    for (const [name, value] of Object.entries(headers)) c.res.headers.set(name, value);
  };
}

/**
 * Whole seconds until the bucket holds a token again, rounded up so a client that sleeps for it
 * never comes back a moment too early: 0 while it holds one, and never 0 for a refused request.
 *
 * @example
 * secondsUntilToken({ allowed: true, remaining: 0, retryAfterMs: 23_400 }); // 24
 */
export function secondsUntilToken(decision: RateDecision): number {
  const seconds = Math.ceil(Math.max(0, decision.retryAfterMs) / 1000);
  return decision.allowed ? seconds : Math.max(1, seconds);
}
