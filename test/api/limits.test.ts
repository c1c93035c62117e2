import { describe, expect, it } from 'vitest';
import { SqlRateLimiter } from '#core/adapters/store/rate-limits.ts';
import { InMemoryRateLimiter } from '#test/fakes/in-memory-rate-limiter.ts';
import { useMigratedPglite } from '#test/support/pglite.ts';
import { useApiFixture } from './support/api-fixture.ts';
import { authed } from './support/harness.ts';

const api = useApiFixture();
// The buckets of api_rate_take, for the test of what the headers say.
const store = useMigratedPglite();
const defaults = { ratePerMinute: 60, burst: 3, maxInFlight: 2 };

/** An app whose clock the test moves, limited per key, whose queue keeps every job queued. */
function limitedApp(clock: { now: number }) {
  return api.appWith({
    rateLimiter: new InMemoryRateLimiter(),
    limits: defaults,
    now: () => new Date(clock.now),
    queue: { enqueue: async () => {} },
  });
}

const agents = (app: ReturnType<typeof limitedApp>, key: string) => app.request('/v1/agents', authed(key));

describe('per-key limits', () => {
  it('answers 429 with Retry-After once a key’s bucket is empty, and refills it with time', async () => {
    const clock = { now: Date.parse('2030-01-01T00:00:00Z') };
    const app = limitedApp(clock);
    const { key } = await api.h.keys.create('burst', ['agents:read']);
    const seen = [];
    for (let i = 0; i < 4; i++) seen.push(await agents(app, key));
    expect(seen.map((r) => r.status)).toEqual([200, 200, 200, 429]);
    expect(seen[0]!.headers.get('ratelimit-limit')).toBe('60');
    expect(seen[1]!.headers.get('ratelimit-reset')).toBe('0');
    expect(seen[2]!.headers.get('ratelimit-remaining')).toBe('0');
    expect(seen[2]!.headers.get('ratelimit-reset')).toBe('1');
    const refused = seen[3]!;
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(await refused.json()).toEqual({
      error: {
        code: 'rate_limited',
        message: 'this API key may send 60 requests a minute (3 at once); try again in 1 s',
      },
    });
    // Another key has a bucket of its own.
    const other = (await api.h.keys.create('other', ['agents:read'])).key;
    expect((await agents(app, other)).status).toBe(200);
    // 60 a minute: one token a second.
    clock.now += 1000;
    expect((await agents(app, key)).status).toBe(200);
    expect((await agents(app, key)).status).toBe(429);
  });

  it('says in RateLimit-Reset when a token is back once an accepted request took the last one', async () => {
    const clock = { now: Date.parse('2030-01-04T00:00:00Z') };
    const app = api.appWith({
      rateLimiter: new SqlRateLimiter(store()),
      limits: defaults,
      now: () => new Date(clock.now),
    });
    // `carrier keys create --rate 2 --burst 1`: a token every 30 s.
    const { key } = await api.h.keys.create('slow', ['agents:read'], {
      limits: { ratePerMinute: 2, burst: 1 },
    });
    const accepted = await agents(app, key);
    expect(accepted.status).toBe(200);
    expect(accepted.headers.get('ratelimit-remaining')).toBe('0');
    expect(accepted.headers.get('ratelimit-reset')).toBe('30');
    clock.now += 6000;
    const refused = await agents(app, key);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('24');
    expect(refused.headers.get('ratelimit-reset')).toBe('24');
    // With tokens left, nothing to wait for.
    const roomy = (await api.h.keys.create('roomy-slow', ['agents:read'], { limits: { ratePerMinute: 2 } }))
      .key;
    const first = await agents(app, roomy);
    expect([first.headers.get('ratelimit-remaining'), first.headers.get('ratelimit-reset')]).toEqual([
      '2',
      '0',
    ]);
  });

  it('uses a key’s own limits over the environment’s', async () => {
    const clock = { now: Date.parse('2030-01-02T00:00:00Z') };
    const app = limitedApp(clock);
    const { key } = await api.h.keys.create('roomy', ['agents:read'], { limits: { burst: 5 } });
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await agents(app, key)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
  });

  it('caps a key’s queued and running messages; a resend of one of them still finds it', async () => {
    const clock = { now: Date.parse('2030-01-03T00:00:00Z') };
    const app = limitedApp(clock);
    const { key } = await api.h.keys.create('busy', ['messages'], { limits: { burst: 100 } });
    const send = (text: string, idempotencyKey: string) =>
      app.request(
        '/v1/agents/ada/messages',
        authed(key, {
          method: 'POST',
          body: JSON.stringify({ text }),
          headers: { 'idempotency-key': idempotencyKey },
        }),
      );
    expect((await send('one', 'k1')).status).toBe(202);
    expect((await send('two', 'k2')).status).toBe(202);
    const third = await send('three', 'k3');
    expect(third.status).toBe(429);
    expect(third.headers.get('retry-after')).toBe('5');
    expect(await third.json()).toMatchObject({ error: { code: 'too_many_in_flight' } });
    expect((await send('one', 'k1')).status).toBe(202);
  });
});
