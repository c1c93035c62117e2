import { pinnedFetch } from '#core/adapters/http/pinned-fetch.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphClients } from '#core/wiring/instagram-parts.ts';
import type { SecretWriter } from '#core/ports/secrets.ts';
import { parseInstagramSettings } from '#core/instagram/settings.ts';
import { refreshTokens } from '#core/instagram/token-refresh.ts';
import { startFakeGraphApi } from '#test/fakes/graph-api.ts';
import { InMemoryPostRepository } from '#test/fakes/in-memory-posts.ts';
import { Clock } from './support/pipeline.ts';

let graph: Awaited<ReturnType<typeof startFakeGraphApi>>;
const DAY = 86_400;

class MemorySecrets implements SecretWriter {
  readonly values = new Map<string, string>();
  async write(name: string, value: string) {
    this.values.set(name, value);
  }
}

beforeAll(async () => {
  graph = await startFakeGraphApi();
});
afterAll(async () => {
  await graph?.close();
});

function setup(env: Record<string, string> = {}) {
  const clock = new Clock();
  const settings = parseInstagramSettings({
    INSTAGRAM_ACCOUNT_ID: '1001',
    INSTAGRAM_ACCESS_TOKEN: 'good-token',
    INSTAGRAM_GRAPH_URL: graph.url,
    ...env,
  });
  const secrets = new MemorySecrets();
  const posts = new InMemoryPostRepository();
  const run = () =>
    refreshTokens({
      posts,
      settings,
      secrets,
      graph: graphClients(settings, pinnedFetch({ reach: 'loopback' })),
      now: clock.now,
    });
  return { clock, settings, secrets, posts, run };
}

describe('daily Instagram token refresh', () => {
  it('leaves a token younger than 24 h alone, then refreshes, stores and uses the new one', async () => {
    const { clock, settings, secrets, posts, run } = setup();
    expect((await run()).skipped).toEqual([
      { tokenKey: 'INSTAGRAM_ACCESS_TOKEN', why: 'less than 24 h old: Meta refreshes only older tokens' },
    ]);
    clock.advance(DAY + 1);
    const report = await run();
    expect(report.refreshed).toHaveLength(1);
    const fresh = secrets.values.get('INSTAGRAM_ACCESS_TOKEN');
    expect(fresh).toMatch(/^refreshed-token-/);
    expect(settings.account('ada')?.accessToken).toBe(fresh);
    expect(report.refreshed[0]!.expiresAt).toBe(new Date(+clock.now() + 5_184_000_000).toISOString());
    // The store is given only the token's hash.
    const records = posts.tokenRecords();
    expect(records[0]!.tokenSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(records)).not.toContain(fresh);
    // Refreshed just now: the next day's run is the next refresh.
    expect((await run()).refreshed).toHaveLength(0);
  });

  it('refreshes per-character tokens under their own names', async () => {
    const { clock, secrets, run } = setup({
      INSTAGRAM_ADA_ACCOUNT_ID: '2002',
      INSTAGRAM_ADA_ACCESS_TOKEN: 'good-token',
    });
    await run();
    clock.advance(DAY + 1);
    await run();
    expect([...secrets.values.keys()].sort()).toEqual([
      'INSTAGRAM_ACCESS_TOKEN',
      'INSTAGRAM_ADA_ACCESS_TOKEN',
    ]);
  });

  it('warns loudly, naming the variable, when a token it cannot refresh expires within 7 days', async () => {
    const { clock, run } = setup();
    await run();
    graph.failNext('refresh', { code: 190, message: 'Error validating access token' }, 100);
    clock.advance(52 * DAY);
    expect((await run()).expiring).toEqual([]);
    clock.advance(2 * DAY);
    const report = await run();
    expect(report.expiring).toHaveLength(1);
    expect(report.expiring[0]!.message).toMatch(
      /^INSTAGRAM_ACCESS_TOKEN \(Instagram account 1001\) expires in 6 days, on .*, and was not refreshed \(refresh failed: the access token expired or was revoked.*\): create a new long-lived token and set INSTAGRAM_ACCESS_TOKEN, or publishing stops$/,
    );
  });

  it('does not try to refresh Facebook Login tokens, and warns before they expire', async () => {
    const { clock, run } = setup({ INSTAGRAM_API: 'facebook' });
    const refreshes = () => graph.requests.filter((r) => r.path === '/refresh_access_token').length;
    const before = refreshes();
    await run();
    clock.advance(55 * DAY);
    const report = await run();
    expect(refreshes()).toBe(before);
    expect(report.expiring[0]!.message).toMatch(/Facebook Login tokens are not refreshed here/);
  });
});
