import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { MetricDimensions, MetricValues } from '#core/ports/metrics.ts';
import { ACCOUNT, startPipeline, type Pipeline } from './support/pipeline.ts';

let p: Pipeline;
const DAY = 86_400;

beforeAll(async () => {
  p = await startPipeline({ graph: { pollsUntilReady: 0, quotaTotal: 50 } });
});
afterAll(async () => {
  await p?.close();
});
beforeEach(async () => {
  p.resetPosts();
  p.graph.published.length = 0;
  p.graph.publishCalls.clear();
  p.graph.options.hideQuotaConfig = false;
});

async function addMany(n: number) {
  return Promise.all(
    Array.from({ length: n }, (_, i) => p.add({ media: [{ source: p.files.jpeg }], caption: `post ${i}` })),
  );
}

describe('the rolling 24 h publishing quota', () => {
  it('publishes 50 of 60 due posts within the window; the rest wait for free slots, none fail', async () => {
    const created = await addMany(60);
    const start = p.clock.now();
    await p.settle(10, { limits: { batch: 60, pollSeconds: 30 } });

    const posts = await Promise.all(created.map((c) => p.posts.get(c.id)));
    const by = (state: string) => posts.filter((x) => x?.state === state);
    expect(by('published')).toHaveLength(50);
    expect(by('failed')).toHaveLength(0);
    const waiting = by('container_ready');
    expect(waiting).toHaveLength(10);
    for (const post of waiting) {
      expect(post?.errorKind).toBe('quota');
      expect(post?.reason).toMatch(
        /^waiting for the publishing quota: 50 of 50 used in the last 24 h; next slot at /,
      );
      // The next slot opens when the oldest publish leaves the window, not before.
      expect(+post!.nextAttemptAt).toBeGreaterThanOrEqual(+start + DAY * 1000);
    }
    // Meta never had to refuse a publish: the scheduler did not exceed the quota.
    expect([...p.graph.publishCalls.values()].reduce((a, b) => a + b, 0)).toBe(50);
    expect(p.graph.usage(ACCOUNT)).toBe(50);

    // A day later the window has rolled: the 10 go out (with new containers; the old ones would expire).
    p.clock.advance(DAY + 60);
    await p.settle(10, { limits: { batch: 60, pollSeconds: 30 } });
    const after = await Promise.all(created.map((c) => p.posts.get(c.id)));
    expect(after.filter((x) => x?.state === 'published')).toHaveLength(60);
    expect(p.graph.usage(ACCOUNT)).toBe(10);
    expect([...p.graph.publishCalls.values()].every((n) => n === 1)).toBe(true);
  });

  it('counts publishes Meta reports from elsewhere (the live quota_usage)', async () => {
    for (let i = 0; i < 48; i++) {
      p.graph.published.push({
        mediaId: `other-${i}`,
        containerId: `other-${i}`,
        account: ACCOUNT,
        at: p.clock.now(),
        kind: 'IMAGE',
      });
    }
    const created = await addMany(5);
    const recorded: Array<{ dimensions: MetricDimensions; values: MetricValues }> = [];
    const metrics = {
      record: (dimensions: MetricDimensions, values: MetricValues) => recorded.push({ dimensions, values }),
    };
    await p.settle(10, { limits: { batch: 10, pollSeconds: 30 }, metrics });
    const states = await Promise.all(created.map(async (c) => (await p.posts.get(c.id))?.state));
    expect(states.filter((s) => s === 'published')).toHaveLength(2);
    expect(states.filter((s) => s === 'container_ready')).toHaveLength(3);

    // The ticks' figures: the two publishes, and the quota Meta counts (48 elsewhere + 2).
    const published = recorded.reduce((n, r) => n + (r.values.PostsPublished ?? 0), 0);
    expect(published).toBe(2);
    expect(recorded.at(-1)).toMatchObject({
      dimensions: { character: created[0]!.characterId, model: 'none' },
      values: { QuotaUsed: 50 },
    });
  });

  it('assumes 50 a day when Meta does not say, and still never exceeds it', async () => {
    p.graph.options.hideQuotaConfig = true;
    p.graph.options.quotaTotal = 1000;
    const created = await addMany(55);
    await p.settle(10, { limits: { batch: 60, pollSeconds: 30 } });
    const states = await Promise.all(created.map(async (c) => (await p.posts.get(c.id))?.state));
    expect(states.filter((s) => s === 'published')).toHaveLength(50);
    p.graph.options.quotaTotal = 50;
  });
});
