import { describe, expect, it } from 'vitest';
import type { Settings } from '#core/config/settings.ts';
import { publisherDeps } from '#core/wiring/publisher.ts';
import { parseInstagramSettings } from '#core/instagram/settings.ts';
import type { SqlStore } from '#core/ports/sql.ts';

/** publisherDeps reads only the runtime and env of the settings, and never touches the store. */
const deps = (runtime: Settings['runtime'], env: Record<string, string> = {}) =>
  publisherDeps({
    store: {} as SqlStore,
    settings: { runtime, env, dataDir: '/nonexistent' } as unknown as Settings,
    instagram: parseInstagramSettings(env),
  });

describe('the publisher as composed for each runtime', () => {
  it('deployed: media URLs may not reach private addresses, and the tick keeps CARRIER_PUBLISH_BUDGET_MS', () => {
    const lambda = deps('lambda', { CARRIER_PUBLISH_BUDGET_MS: '45000' });
    expect(lambda.allowPrivateMediaUrls).toBe(false);
    expect(lambda.limits).toEqual({ budgetMs: 45_000 });
  });

  it('local: media on this machine or the LAN may be used, with the default budget', () => {
    const local = deps('local');
    expect(local.allowPrivateMediaUrls).toBe(true);
    expect(local.limits).toEqual({ budgetMs: 120_000 });
  });
});
