import { beforeEach, describe, expect, it } from 'vitest';
import { SqlRateLimiter } from '#core/adapters/store/rate-limits.ts';
import type { RateLimiter } from '#core/ports/rate-limits.ts';
import { InMemoryRateLimiter } from '#test/fakes/in-memory-rate-limiter.ts';
import { SQL_ADAPTERS, useContractStores } from './support/contract-stores.ts';

const stores = useContractStores();
const t0 = Date.parse('2030-01-01T00:00:00Z');
const at = (ms: number) => new Date(t0 + ms);
const limit = { ratePerMinute: 60, burst: 3 };

describe.each(['in-memory', ...SQL_ADAPTERS] as const)('rate limits store contract: %s', (name) => {
  let limiter: RateLimiter;
  beforeEach(async () => {
    if (name === 'in-memory') {
      limiter = new InMemoryRateLimiter();
      return;
    }
    await stores().reset();
    limiter = new SqlRateLimiter(stores().adapters[name]);
  });

  it('lets a full bucket take `burst` requests, then refuses with the time until one token is back', async () => {
    const taken = [];
    for (let i = 0; i < 4; i++) taken.push(await limiter.take('k1', limit, at(0)));
    expect(taken).toEqual([
      { allowed: true, remaining: 2, retryAfterMs: 0 },
      { allowed: true, remaining: 1, retryAfterMs: 0 },
      { allowed: true, remaining: 0, retryAfterMs: 1000 },
      { allowed: false, remaining: 0, retryAfterMs: 1000 },
    ]);
    expect(await limiter.take('k1', limit, at(400))).toEqual({
      allowed: false,
      remaining: 0,
      retryAfterMs: 600,
    });
    expect((await limiter.take('k1', limit, at(1000))).allowed).toBe(true);
  });

  it('says when a token is back on the request that takes the last one, from the fraction left', async () => {
    // 2 a minute, 1 at once: a token every 30 s.
    const slow = { ratePerMinute: 2, burst: 1 };
    expect(await limiter.take('k1', slow, at(0))).toEqual({
      allowed: true,
      remaining: 0,
      retryAfterMs: 30_000,
    });
    expect(await limiter.take('k1', slow, at(6000))).toEqual({
      allowed: false,
      remaining: 0,
      retryAfterMs: 24_000,
    });
    // 1.5 tokens at 45 s: one is taken, and half a token (15 s) is missing from the next.
    const roomy = { ratePerMinute: 2, burst: 3 };
    await limiter.take('k2', roomy, at(0));
    await limiter.take('k2', roomy, at(0));
    await limiter.take('k2', roomy, at(0));
    expect(await limiter.take('k2', roomy, at(45_000))).toEqual({
      allowed: true,
      remaining: 0,
      retryAfterMs: 15_000,
    });
    // While whole tokens remain there is nothing to wait for.
    expect(await limiter.take('k3', roomy, at(0))).toEqual({ allowed: true, remaining: 2, retryAfterMs: 0 });
  });

  it('keeps one bucket per key, refills up to `burst` only, and never refills on a clock that goes back', async () => {
    for (let i = 0; i < 3; i++) await limiter.take('k1', limit, at(0));
    expect((await limiter.take('k2', limit, at(0))).allowed).toBe(true);
    // An hour later: full again, but no more than `burst`.
    const later = [];
    for (let i = 0; i < 4; i++) later.push((await limiter.take('k1', limit, at(3_600_000))).allowed);
    expect(later).toEqual([true, true, true, false]);
    // Another process whose clock is a minute behind gets no tokens from the difference.
    expect((await limiter.take('k1', limit, at(3_540_000))).allowed).toBe(false);
  });
});
