import { describe, expect, it } from 'vitest';
import type { Settings } from '#core/config/settings.ts';
import { publisherDeps } from '#core/wiring/publisher.ts';
import { tokenRefreshDeps } from '#core/wiring/token-refresh.ts';
import { parseInstagramSettings } from '#core/instagram/settings.ts';
import type { SqlStore } from '#core/ports/sql.ts';
import { startLoopbackServer } from '#test/outbound/loopback-trap.ts';

/** publisherDeps reads only the runtime and env of the settings, and never touches the store. */
const compose = (runtime: Settings['runtime'], env: Record<string, string> = {}) => {
  const options = {
    store: {} as SqlStore,
    settings: { runtime, env, dataDir: '/nonexistent' } as unknown as Settings,
    instagram: parseInstagramSettings(env),
  };
  return { publisher: () => publisherDeps(options), refresh: () => tokenRefreshDeps(options) };
};

describe('the publisher as composed for each runtime', () => {
  it('deployed: media URLs may not reach private addresses, and the tick keeps CARRIER_PUBLISH_BUDGET_MS', async () => {
    const trap = await startLoopbackServer('127.0.0.1');
    try {
      const lambda = compose('lambda', { CARRIER_PUBLISH_BUDGET_MS: '45000' }).publisher();
      await expect(lambda.fetch(`http://127.0.0.1:${trap.port}/x.jpg`)).rejects.toThrow(
        '127.0.0.1 is a loopback address (127.0.0.0/8)',
      );
      expect(trap.requests).toEqual([]);
      expect(lambda.limits).toEqual({ budgetMs: 45_000, maxClaims: 5 });
    } finally {
      await trap.close();
    }
  });

  it('deployed: a Graph base URL or media host on a private address stops the cold start, naming the setting', () => {
    const env = {
      INSTAGRAM_GRAPH_URL: 'http://0x7f.1:8080',
      FTP_SERVER: 'ftp.example.com',
      FTP_USERNAME: 'u',
      FTP_PASSWORD: 'p',
      HTTP_SERVER: 'http://[::ffff:a9fe:a9fe]/media',
    };
    for (const build of Object.values(compose('lambda', env))) {
      expect(build).toThrow(
        'environment: INSTAGRAM_GRAPH_URL: 127.0.0.1 is a loopback address (127.0.0.0/8); deployed, it must be a public URL\n' +
          'environment: HTTP_SERVER: ::ffff:a9fe:a9fe is a link-local address (::ffff:0:0/96 carrying 169.254.169.254, in 169.254.0.0/16); deployed, it must be a public URL',
      );
    }
    expect(() => compose('local', env).publisher()).not.toThrow();
  });

  it('local: media on this machine may be used, with the default budget', async () => {
    const media = await startLoopbackServer('127.0.0.1');
    try {
      const local = compose('local').publisher();
      expect((await local.fetch(`http://127.0.0.1:${media.port}/x.jpg`)).status).toBe(200);
      expect(local.limits).toEqual({ budgetMs: 120_000, maxClaims: 5 });
    } finally {
      await media.close();
    }
  });
});
