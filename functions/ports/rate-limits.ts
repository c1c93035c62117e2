/** A key's request budget: a token bucket of `burst` tokens refilling `ratePerMinute` a minute. */
export interface RateLimit {
  ratePerMinute: number;
  burst: number;
}

export interface RateDecision {
  allowed: boolean;
  /** Whole tokens left after this request. */
  remaining: number;
  /**
   * How long until a whole token is back: on a refused request, and on an accepted one that took
   * the last whole token (so `RateLimit-Reset` can say when to send the next). 0 while whole
   * tokens remain.
   */
  retryAfterMs: number;
}

/**
 * Takes one token from a key's bucket, shared by every process that serves the API.
 * Implemented by adapters/store/rate-limits.ts (a SQL function, one round trip).
 */
export interface RateLimiter {
  take(keyId: string, limit: RateLimit, now: Date): Promise<RateDecision>;
}

/** Every limit a key has, with the environment's defaults filled in. */
export interface KeyLimitSettings extends RateLimit {
  /** Queued + running turns a key may have at once. */
  maxInFlight: number;
}

/** Used when neither the environment nor the key says otherwise. */
export const DEFAULT_KEY_LIMITS: KeyLimitSettings = { ratePerMinute: 120, burst: 60, maxInFlight: 20 };
