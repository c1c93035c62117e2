import { beforeEach, describe, expect, it } from 'vitest';
import { SqlPostRepository } from '#core/adapters/store/posts.ts';
import type { CreatePostInput, PostRepository } from '#core/instagram/post-repository.ts';
import { InMemoryPostRepository } from '#test/fakes/in-memory-posts.ts';
import { SQL_ADAPTERS, useContractStores } from './support/contract-stores.ts';

const stores = useContractStores();
const t0 = new Date('2030-01-01T09:00:00Z');
const at = (seconds: number) => new Date(+t0 + seconds * 1000);
const DAY = 86_400;

describe.each(['in-memory', ...SQL_ADAPTERS] as const)('posts store contract: %s', (name) => {
  let posts: PostRepository;
  beforeEach(async () => {
    if (name === 'in-memory') {
      posts = new InMemoryPostRepository(60);
      return;
    }
    await stores().reset();
    posts = new SqlPostRepository(stores().adapters[name], 60);
  });

  const image = (over: Partial<CreatePostInput> = {}) =>
    posts.create({
      characterId: 'ada',
      kind: 'image',
      media: [{ source: 'https://example.test/a.jpg' }],
      scheduledAt: t0,
      caption: 'hello',
      ...over,
    });

  /** A post that scheduler 's' moved into `publishing` at at(2), container c1. */
  async function publishing(quota = { accountId: 'acct', total: 5, windowSeconds: DAY }) {
    const post = await image();
    await posts.claim('s', 10, at(0));
    await posts.advance(post.id, 's', at(1), { from: 'scheduled', to: 'container_ready', containerId: 'c1' });
    await posts.beginPublish(post.id, 's', at(2), quota);
    return post;
  }

  it('creates a scheduled post due at its schedule, once per idempotency key', async () => {
    const first = await image({ idempotencyKey: 'k1', options: { shareToFeed: true } });
    const again = await image({ idempotencyKey: 'k1' });
    expect(first).toMatchObject({
      state: 'scheduled',
      nextAttemptAt: t0,
      caption: 'hello',
      captionPrompt: null,
      options: { shareToFeed: true },
      attempts: 0,
      leaseOwner: null,
    });
    expect(again.id).toBe(first.id);
    expect(await posts.list()).toHaveLength(1);
    expect(await posts.get(first.id)).toEqual(first);
    expect(await posts.get('missing')).toBeUndefined();
  });

  it('lists the newest schedule first, by character and state, a page at a time', async () => {
    const early = await image({ scheduledAt: at(0) });
    const late = await image({ scheduledAt: at(60) });
    const bobs = await image({ characterId: 'bob', scheduledAt: at(30) });
    await posts.cancel(early.id, at(0));
    expect((await posts.list()).map((p) => p.id)).toEqual([late.id, bobs.id, early.id]);
    expect((await posts.list({ characterId: 'bob' })).map((p) => p.id)).toEqual([bobs.id]);
    expect((await posts.list({ state: 'cancelled' })).map((p) => p.id)).toEqual([early.id]);
    expect((await posts.list({ limit: 1, offset: 1 })).map((p) => p.id)).toEqual([bobs.id]);
  });

  it('claims only due posts that no live lease holds, oldest due first', async () => {
    const post = await image();
    const later = await image({ scheduledAt: at(5) });
    expect(await posts.claim('a', 10, at(-1))).toEqual([]);
    const [claimed] = await posts.claim('a', 10, at(0));
    expect(claimed).toMatchObject({ id: post.id, leaseOwner: 'a', leaseUntil: at(60) });
    expect((await posts.claim('b', 10, at(30))).map((p) => p.id)).toEqual([later.id]);
    const [reclaimed] = await posts.claim('c', 1, at(61));
    expect(reclaimed?.leaseOwner).toBe('c');
    expect(reclaimed?.id).toBe(post.id);
  });

  it('refuses a transition from a scheduler whose lease was taken over', async () => {
    const post = await image();
    await posts.claim('a', 10, at(0));
    await posts.claim('b', 10, at(61));
    expect(
      await posts.advance(post.id, 'a', at(62), { from: 'scheduled', to: 'media_hosted' }),
    ).toBeUndefined();
    const moved = await posts.advance(post.id, 'b', at(62), { from: 'scheduled', to: 'media_hosted' });
    expect(moved).toMatchObject({ state: 'media_hosted', leaseUntil: at(122) });
  });

  it('refuses a transition from the wrong state or after the lease ran out', async () => {
    const post = await image();
    await posts.claim('a', 10, at(0));
    expect(await posts.advance(post.id, 'a', at(1), { from: 'media_hosted', to: 'container_created' })).toBe(
      undefined,
    );
    expect(await posts.advance(post.id, 'a', at(60), { from: 'scheduled', to: 'media_hosted' })).toBe(
      undefined,
    );
    expect(await posts.wait(post.id, 'a', at(60), { state: 'scheduled', until: at(90) })).toBeUndefined();
    expect(
      await posts.fail(post.id, 'a', at(60), { from: 'scheduled', reason: 'x', errorKind: 'fix_input' }),
    ).toBeUndefined();
  });

  it('records a step’s data, keeps what it does not name, and forgets the containers when told', async () => {
    const post = await image();
    await posts.claim('s', 10, at(0));
    const hosted = [{ source: 'https://example.test/a.jpg', url: 'https://cdn.test/h.jpg', bytes: 10 }];
    await posts.advance(post.id, 's', at(1), { from: 'scheduled', to: 'media_hosted', media: hosted });
    await posts.advance(post.id, 's', at(2), {
      from: 'media_hosted',
      to: 'media_hosted',
      accountId: 'acct',
      children: ['k1', 'k2'],
      reason: 'making children',
    });
    const created = await posts.advance(post.id, 's', at(3), {
      from: 'media_hosted',
      to: 'container_created',
      containerId: 'c1',
    });
    expect(created).toMatchObject({
      media: hosted,
      accountId: 'acct',
      caption: 'hello',
      children: ['k1', 'k2'],
      containerId: 'c1',
      containerCreatedAt: at(3),
      reason: null,
    });
    await posts.wait(post.id, 's', at(4), { state: 'container_created', until: at(30), countPoll: true });
    await posts.claim('s', 10, at(30));
    const remade = await posts.advance(post.id, 's', at(31), {
      from: 'container_created',
      to: 'media_hosted',
      clearContainer: true,
    });
    expect(remade).toMatchObject({ children: null, containerId: null, containerCreatedAt: null, polls: 0 });
  });

  it('leaves a post waiting with the reason, counting attempts and polls when told, and gives the lease back', async () => {
    const post = await image();
    await posts.claim('s', 10, at(0));
    const waited = await posts.wait(post.id, 's', at(1), {
      state: 'scheduled',
      until: at(120),
      reason: 'Meta is temporarily unavailable',
      errorKind: 'retry',
      errorCode: 2,
      countAttempt: true,
    });
    expect(waited).toMatchObject({
      nextAttemptAt: at(120),
      attempts: 1,
      polls: 0,
      errorKind: 'retry',
      errorCode: 2,
      errorSubcode: null,
      leaseOwner: null,
      leaseUntil: null,
    });
    await posts.claim('s', 10, at(120));
    const polled = await posts.wait(post.id, 's', at(121), {
      state: 'scheduled',
      until: at(150),
      countPoll: true,
    });
    expect(polled).toMatchObject({ attempts: 1, polls: 1, reason: null, errorKind: null });
    await posts.claim('s', 10, at(150));
    const moved = await posts.advance(post.id, 's', at(151), { from: 'scheduled', to: 'media_hosted' });
    expect(moved?.attempts).toBe(0);
  });

  it('cancels before publishing but not after', async () => {
    const post = await image();
    const { outcome, post: cancelled } = await posts.cancel(post.id, at(0));
    expect(outcome).toBe('cancelled');
    expect(cancelled).toMatchObject({ state: 'cancelled', reason: 'cancelled before publishing' });
    expect((await posts.cancel(post.id, at(0))).outcome).toBe('not_cancellable');
    expect((await posts.cancel('missing', at(0))).outcome).toBe('not_found');
    const started = await publishing();
    expect(await posts.cancel(started.id, at(3))).toMatchObject({
      outcome: 'not_cancellable',
      post: { state: 'publishing' },
    });
  });

  it('stops a scheduler working on a post that was cancelled meanwhile', async () => {
    const post = await image();
    await posts.claim('a', 10, at(0));
    expect((await posts.cancel(post.id, at(1))).outcome).toBe('cancelled');
    expect(
      await posts.advance(post.id, 'a', at(2), { from: 'scheduled', to: 'media_hosted' }),
    ).toBeUndefined();
    expect((await posts.get(post.id))?.state).toBe('cancelled');
  });

  it('retries a failed post from the beginning', async () => {
    const post = await image();
    await posts.claim('a', 10, at(0));
    await posts.fail(post.id, 'a', at(1), { from: 'scheduled', reason: 'bad', errorKind: 'fix_input' });
    const { outcome, post: retried } = await posts.retry(post.id, at(100));
    expect(outcome).toBe('retrying');
    expect(retried?.state).toBe('scheduled');
    expect(retried?.nextAttemptAt).toEqual(at(100));
    expect(retried?.reason).toBeNull();
    expect(await posts.retry('missing', at(100))).toEqual({ outcome: 'not_found' });
  });

  it('does not retry a post a live lease holds, or one already published', async () => {
    const post = await image();
    await posts.claim('a', 10, at(0));
    expect((await posts.retry(post.id, at(1))).outcome).toBe('not_retryable');
    const done = await publishing();
    await posts.published(done.id, 's', at(3), { mediaId: 'm1' });
    expect(await posts.retry(done.id, at(4))).toMatchObject({
      outcome: 'not_retryable',
      post: { state: 'published' },
    });
  });

  it('does not restart a failed post whose publish was attempted: it may be on Instagram', async () => {
    const post = await publishing();
    await posts.fail(post.id, 's', at(3), {
      from: 'publishing',
      reason: 'container ERROR',
      errorKind: 'fix_input',
    });
    const { outcome, post: after } = await posts.retry(post.id, at(100));
    expect(outcome).toBe('publish_attempted');
    expect(after).toMatchObject({ state: 'failed', containerId: 'c1', publishingStartedAt: at(2) });
  });

  it('makes a post waiting in publishing due now, keeping its container to reconcile from', async () => {
    const post = await publishing();
    await posts.wait(post.id, 's', at(3), {
      state: 'publishing',
      until: at(3600),
      errorKind: 'unknown_outcome',
    });
    const { outcome, post: after } = await posts.retry(post.id, at(100));
    expect(outcome).toBe('retrying');
    expect(after).toMatchObject({ state: 'publishing', containerId: 'c1', nextAttemptAt: at(100) });
  });

  it('reserves a quota slot and makes the post wait when the quota is full', async () => {
    const a = await image();
    const b = await image();
    await posts.claim('s', 10, at(0));
    for (const p of [a, b]) {
      await posts.advance(p.id, 's', at(1), {
        from: 'scheduled',
        to: 'container_ready',
        containerId: `c-${p.id}`,
      });
    }
    const quota = { accountId: 'acct', total: 1, windowSeconds: DAY };
    const first = await posts.beginPublish(a.id, 's', at(2), quota);
    expect(first).toMatchObject({
      outcome: 'reserved',
      used: 1,
      quotaTotal: 1,
      post: { state: 'publishing' },
    });
    await posts.published(a.id, 's', at(3), { mediaId: 'm1' });
    const second = await posts.beginPublish(b.id, 's', at(4), quota);
    expect(second.outcome).toBe('quota_full');
    if (second.outcome !== 'quota_full') return;
    expect(second.nextSlotAt).toEqual(at(3 + DAY));
    expect(second.post.reason).toBe(
      'waiting for the publishing quota: 1 of 1 used in the last 24 h; next slot at 2030-01-02T09:00:03Z',
    );
    expect(second.post).toMatchObject({ errorKind: 'quota', leaseOwner: null, nextAttemptAt: at(3 + DAY) });
    expect(await posts.quotaUsed('acct', DAY, at(5))).toEqual({ published: 1, inflight: 0, oldest: at(3) });
    expect(await posts.quotaUsed('acct', DAY, at(4 + DAY))).toEqual({
      published: 0,
      inflight: 0,
      oldest: null,
    });
  });

  it('counts Meta’s live usage, and waits a quarter hour when no slot time is known', async () => {
    const post = await image();
    await posts.claim('s', 10, at(0));
    await posts.advance(post.id, 's', at(1), { from: 'scheduled', to: 'container_ready', containerId: 'c1' });
    const quota = { accountId: 'acct', total: 50, windowSeconds: 5400, liveUsage: 50 };
    const full = await posts.beginPublish(post.id, 's', at(2), quota);
    expect(full).toMatchObject({ outcome: 'quota_full', used: 50, nextSlotAt: at(2 + 900) });
    expect(full.outcome === 'quota_full' && full.post.reason).toBe(
      'waiting for the publishing quota: 50 of 50 used in the last 1.5 h; next slot at 2030-01-01T09:15:02Z',
    );
    expect(await posts.beginPublish(post.id, 's', at(3), quota)).toEqual({ outcome: 'lost' });
  });

  it('gives the quota slot back when a publish is refused', async () => {
    const post = await publishing();
    expect((await posts.quotaUsed('acct', DAY, at(2))).inflight).toBe(1);
    await posts.advance(post.id, 's', at(3), { from: 'publishing', to: 'container_created' });
    expect((await posts.quotaUsed('acct', DAY, at(3))).inflight).toBe(0);
  });

  it('records a publish with its media and permalink, and knows the media ids it recorded', async () => {
    const post = await publishing();
    expect(await posts.published(post.id, 'other', at(3), { mediaId: 'm1' })).toBeUndefined();
    const done = await posts.published(post.id, 's', at(3), { mediaId: 'm1', reason: 'recorded' });
    expect(done).toMatchObject({ state: 'published', mediaId: 'm1', permalink: null, publishedAt: at(3) });
    await posts.setPermalink(post.id, 'https://www.instagram.com/p/x/', at(4));
    expect((await posts.get(post.id))?.permalink).toBe('https://www.instagram.com/p/x/');
    expect(await posts.knownMedia(['m1', 'm2'])).toEqual(new Set(['m1']));
    expect(await posts.knownMedia([])).toEqual(new Set());
  });

  it('tracks a token by its hash and restarts its clock when it changes', async () => {
    const first = await posts.tokenSeen('acct', 'h1', 3600, at(0));
    expect(first).toMatchObject({ accountId: 'acct', tokenSha256: 'h1', tokenExpiresAt: at(3600) });
    const same = await posts.tokenSeen('acct', 'h1', 3600, at(100));
    expect(same.tokenSeenAt).toEqual(first.tokenSeenAt);
    const changed = await posts.tokenSeen('acct', 'h2', 3600, at(200));
    expect(changed.tokenSeenAt).toEqual(at(200));
    const refreshed = await posts.tokenRefreshed('acct', 'h3', at(9999), at(300));
    expect(refreshed).toMatchObject({
      tokenSha256: 'h3',
      tokenRefreshedAt: at(300),
      tokenExpiresAt: at(9999),
    });
  });
});
