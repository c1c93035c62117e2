import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SqlPostRepository } from '#core/adapters/store/posts.ts';
import type { PgliteStore } from '#core/adapters/store/pglite.ts';
import type { PostRepository } from '#core/instagram/post-repository.ts';
import { openPostsDb, resetPosts } from './support/store.ts';

let db: PgliteStore;
let posts: PostRepository;
const t0 = new Date('2030-01-01T09:00:00Z');
const at = (seconds: number) => new Date(+t0 + seconds * 1000);

beforeAll(async () => {
  db = await openPostsDb();
  posts = new SqlPostRepository(db, 60);
});
afterAll(() => db.close());
beforeEach(() => resetPosts(db));

const image = (key?: string) =>
  posts.create({
    characterId: 'ada',
    kind: 'image',
    media: [{ source: 'https://example.test/a.jpg' }],
    scheduledAt: t0,
    caption: 'hello',
    ...(key ? { idempotencyKey: key } : {}),
  });

/** A post that scheduler 's' moved into `publishing` at at(2), container c1. */
async function publishing() {
  const post = await image();
  await posts.claim('s', 10, at(0));
  await posts.advance(post.id, 's', at(1), { from: 'scheduled', to: 'container_ready', containerId: 'c1' });
  await posts.beginPublish(post.id, 's', at(2), { accountId: 'acct', total: 5, windowSeconds: 86_400 });
  return post;
}

describe('posts store', () => {
  it('creates a scheduled post due at its schedule, once per idempotency key', async () => {
    const first = await image('k1');
    const again = await image('k1');
    expect(first.state).toBe('scheduled');
    expect(first.nextAttemptAt).toEqual(t0);
    expect(again.id).toBe(first.id);
    expect(await posts.list()).toHaveLength(1);
  });

  it('claims only due posts that no live lease holds', async () => {
    const post = await image();
    expect(await posts.claim('a', 10, at(-1))).toEqual([]);
    const [claimed] = await posts.claim('a', 10, at(0));
    expect(claimed?.id).toBe(post.id);
    expect(await posts.claim('b', 10, at(30))).toEqual([]);
    const [reclaimed] = await posts.claim('b', 10, at(61));
    expect(reclaimed?.leaseOwner).toBe('b');
  });

  it('refuses a transition from a scheduler whose lease was taken over', async () => {
    const post = await image();
    await posts.claim('a', 10, at(0));
    await posts.claim('b', 10, at(61));
    expect(
      await posts.advance(post.id, 'a', at(62), { from: 'scheduled', to: 'media_hosted' }),
    ).toBeUndefined();
    const moved = await posts.advance(post.id, 'b', at(62), { from: 'scheduled', to: 'media_hosted' });
    expect(moved?.state).toBe('media_hosted');
  });

  it('refuses a transition from the wrong state', async () => {
    const post = await image();
    await posts.claim('a', 10, at(0));
    expect(await posts.advance(post.id, 'a', at(1), { from: 'media_hosted', to: 'container_created' })).toBe(
      undefined,
    );
  });

  it('cancels before publishing but not after', async () => {
    const post = await image();
    expect((await posts.cancel(post.id, at(0))).outcome).toBe('cancelled');
    expect((await posts.cancel(post.id, at(0))).outcome).toBe('not_cancellable');
    expect((await posts.cancel('missing', at(0))).outcome).toBe('not_found');
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
    const quota = { accountId: 'acct', total: 1, windowSeconds: 86_400 };
    const first = await posts.beginPublish(a.id, 's', at(2), quota);
    expect(first.outcome).toBe('reserved');
    await posts.published(a.id, 's', at(3), { mediaId: 'm1' });
    const second = await posts.beginPublish(b.id, 's', at(4), quota);
    expect(second.outcome).toBe('quota_full');
    if (second.outcome !== 'quota_full') return;
    expect(second.nextSlotAt).toEqual(at(3 + 86_400));
    expect(second.post.reason).toContain('1 of 1 used');
    expect(second.post.leaseOwner).toBeNull();
    expect(await posts.quotaUsed('acct', 86_400, at(5))).toMatchObject({ published: 1, inflight: 0 });
  });

  it('gives the quota slot back when a publish is refused', async () => {
    const post = await publishing();
    expect((await posts.quotaUsed('acct', 86_400, at(2))).inflight).toBe(1);
    await posts.advance(post.id, 's', at(3), { from: 'publishing', to: 'container_created' });
    expect((await posts.quotaUsed('acct', 86_400, at(3))).inflight).toBe(0);
  });

  it('tracks a token by its hash and restarts its clock when it changes', async () => {
    const first = await posts.tokenSeen('acct', 'h1', 3600, at(0));
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
