import { Hono } from 'hono';
import { beforeEach, describe, expect, it } from 'vitest';
import type { PostTenants } from '#core/instagram/post-tenants.ts';
import { InMemoryPostTenants } from '#test/fakes/in-memory-post-tenants.ts';
import type { ApiEnv } from '#core/api/auth.ts';
import { onApiError } from '#core/api/errors.ts';
import type { Scope } from '#core/ports/api-keys.ts';
import type { PostRepository } from '#core/instagram/post-repository.ts';
import { postsRoutes } from '#core/api/routes/posts.ts';
import { InMemoryPostRepository } from '#test/fakes/in-memory-posts.ts';

let posts: PostRepository;
let tenants: PostTenants;
const now = new Date('2030-05-01T10:00:00Z');

/** The routes as the API mounts them: under /v1, after the key check set a principal. */
function app(scopes: Scope[] = ['posts'], keyId = 'k1') {
  const root = new Hono<ApiEnv>();
  root.onError(onApiError());
  root.use('*', async (c, next) => {
    c.set('principal', { keyId, tenant: keyId, scopes });
    await next();
  });
  root.route(
    '/v1',
    postsRoutes({ posts, tenants, characterIds: async () => ['ada', 'bob'], now: () => now }),
  );
  return root;
}

const json = (body: unknown, headers: Record<string, string> = {}) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

beforeEach(() => {
  posts = new InMemoryPostRepository();
  tenants = new InMemoryPostTenants(posts);
});

describe('posts API', () => {
  it('queues a post and shows it', async () => {
    const res = await app().request(
      '/v1/posts',
      json({
        character: 'ada',
        media: ['https://cdn.example/a.png'],
        caption: 'hi',
        at: '2030-05-02T09:00:00Z',
      }),
    );
    expect(res.status).toBe(201);
    const { post } = (await res.json()) as { post: { id: string } };
    expect(post).toMatchObject({
      character: 'ada',
      kind: 'image',
      state: 'scheduled',
      scheduledAt: '2030-05-02T09:00:00.000Z',
    });
    const shown = await app().request(`/v1/posts/${post.id}`);
    expect(await shown.json()).toEqual({ post });
  });

  it('infers a carousel from several media and a reel from a video', async () => {
    const carousel = await app().request(
      '/v1/posts',
      json({ character: 'ada', media: ['https://x/a.jpg', 'https://x/b.jpg'] }),
    );
    const reel = await app().request(
      '/v1/posts',
      json({ character: 'ada', media: ['https://x/c.mp4'], shareToFeed: true }),
    );
    expect(((await carousel.json()) as { post: { kind: string } }).post.kind).toBe('carousel');
    expect(((await reel.json()) as { post: { kind: string } }).post.kind).toBe('reel');
  });

  it('creates one post per Idempotency-Key', async () => {
    const body = json({ character: 'ada', media: ['https://x/a.jpg'] }, { 'idempotency-key': 'abc' });
    const first = (await (await app().request('/v1/posts', body)).json()) as { post: { id: string } };
    const again = (await (await app().request('/v1/posts', body)).json()) as { post: { id: string } };
    expect(again.post.id).toBe(first.post.id);
  });

  it('refuses an Idempotency-Key reused with a different body with 409, naming the key', async () => {
    const key = { 'idempotency-key': 'order-42' };
    const first = await app().request(
      '/v1/posts',
      json({ character: 'ada', media: ['https://x/a.jpg'] }, key),
    );
    expect(first.status).toBe(201);
    const reused = await app().request(
      '/v1/posts',
      json({ character: 'ada', media: ['https://x/b.jpg'] }, key),
    );
    expect(reused.status).toBe(409);
    expect(await reused.json()).toEqual({
      error: {
        code: 'idempotency_key_reused',
        message:
          'Idempotency-Key "order-42" was already used for a different post; send a new key for a new post, or resend the same body to get the first post back',
      },
    });
    expect(await posts.list()).toHaveLength(1);
  });

  it('treats the same body with its fields in another order, or the key in the body, as a resend', async () => {
    const first = await app().request(
      '/v1/posts',
      json({ character: 'ada', media: ['https://x/a.jpg'], caption: 'c' }, { 'idempotency-key': 'k-1' }),
    );
    const again = await app().request(
      '/v1/posts',
      json({ caption: 'c', idempotencyKey: 'k-1', media: ['https://x/a.jpg'], character: 'ada' }),
    );
    expect(again.status).toBe(201);
    expect(((await again.json()) as { post: { id: string } }).post.id).toBe(
      ((await first.json()) as { post: { id: string } }).post.id,
    );
  });

  it("keeps each caller's keys apart: the same key from another API key makes its own post", async () => {
    const body = (media: string) =>
      json({ character: 'ada', media: [media] }, { 'idempotency-key': 'shared' });
    expect((await app(['posts'], 'k1').request('/v1/posts', body('https://x/a.jpg'))).status).toBe(201);
    expect((await app(['posts'], 'k2').request('/v1/posts', body('https://x/b.jpg'))).status).toBe(201);
    expect(await posts.list()).toHaveLength(2);
  });

  it('takes keys of 1-255 printable ASCII characters only', async () => {
    const send = (key: string) =>
      app().request(
        '/v1/posts',
        json({ character: 'ada', media: ['https://x/a.jpg'] }, { 'idempotency-key': key }),
      );
    expect((await send('k'.repeat(255))).status).toBe(201);
    for (const bad of ['k'.repeat(256), 'has space', 'tab\there']) {
      const res = await send(bad);
      expect(res.status, bad).toBe(400);
      expect(await res.json()).toMatchObject({
        error: {
          message: 'Idempotency-Key must be 1-255 printable ASCII characters',
          details: [{ path: 'header.idempotency-key' }],
        },
      });
    }
    const inBody = await app().request(
      '/v1/posts',
      json({ character: 'ada', media: ['https://x/a.jpg'], idempotencyKey: 'ключ' }),
    );
    expect(inBody.status).toBe(400);
  });

  it('names each invalid field and how to fix it', async () => {
    const res = await app().request(
      '/v1/posts',
      json({
        character: 'ada',
        media: ['https://x/a.jpg'],
        kind: 'carousel',
        caption: 'x'.repeat(2201),
        at: 'tomorrow',
      }),
    );
    expect(res.status).toBe(400);
    const body = (await res.json()) as {
      error: { code: string; details: Array<{ path: string; message: string }> };
    };
    expect(body.error.code).toBe('invalid_request');
    expect(body.error.details).toEqual(
      expect.arrayContaining([
        { path: 'body.caption', message: 'Instagram captions hold at most 2200 characters' },
        { path: 'body.at', message: 'expected an ISO-8601 time, e.g. 2030-01-31T09:00:00Z' },
        { path: 'body.media', message: 'a carousel needs 2 to 10 media items' },
      ]),
    );
  });

  it('refuses local paths: the API takes URLs only', async () => {
    const res = await app().request('/v1/posts', json({ character: 'ada', media: ['/etc/passwd'] }));
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      error: { details: [{ path: 'body.media.0', message: 'expected an http(s) URL' }] },
    });
  });

  it('refuses an unknown character and names the known ones', async () => {
    const res = await app().request('/v1/posts', json({ character: 'zed', media: ['https://x/a.jpg'] }));
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      error: {
        code: 'unknown_character',
        message: 'unknown character "zed"; this deployment serves: ada, bob',
      },
    });
  });

  it('lists posts filtered by character and state', async () => {
    await app().request('/v1/posts', json({ character: 'ada', media: ['https://x/a.jpg'] }));
    await app().request('/v1/posts', json({ character: 'bob', media: ['https://x/b.jpg'] }));
    const res = await app().request('/v1/posts?character=bob&state=scheduled');
    const { posts: listed } = (await res.json()) as { posts: Array<{ character: string }> };
    expect(listed.map((p) => p.character)).toEqual(['bob']);
    expect((await app().request('/v1/posts?state=sent')).status).toBe(400);
  });

  it('cancels a post before publishing, and refuses afterwards with 409', async () => {
    const created = (await (
      await app().request('/v1/posts', json({ character: 'ada', media: ['https://x/a.jpg'] }))
    ).json()) as {
      post: { id: string };
    };
    const cancelled = await app().request(`/v1/posts/${created.post.id}`, { method: 'DELETE' });
    expect(cancelled.status).toBe(200);
    expect(await cancelled.json()).toMatchObject({ post: { state: 'cancelled' } });
    const again = await app().request(`/v1/posts/${created.post.id}`, { method: 'DELETE' });
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({
      error: {
        code: 'not_cancellable',
        message: expect.stringContaining('is cancelled; only posts that have not started publishing'),
      },
    });
  });

  it("retries a failed post from the start, refuses a cancelled one, and never another tenant's", async () => {
    const queue = async () =>
      (
        (await (
          await app().request('/v1/posts', json({ character: 'ada', media: ['https://x/a.jpg'] }))
        ).json()) as { post: { id: string } }
      ).post.id;
    const cancelled = await queue();
    await app().request(`/v1/posts/${cancelled}`, { method: 'DELETE' });
    const refused = await app().request(`/v1/posts/${cancelled}/retry`, { method: 'POST' });
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({
      error: { code: 'not_retryable', message: expect.stringContaining('is cancelled; only failed posts') },
    });

    const id = await queue();
    const [claimed] = await posts.claim('tick', 1, new Date('2031-01-01T00:00:00Z'));
    await posts.fail(id, 'tick', now, {
      from: claimed!.state,
      reason: 'the media URL answered 404',
      errorKind: 'fix_input',
    });
    expect(await (await app().request(`/v1/posts/${id}`)).json()).toMatchObject({
      post: { state: 'failed', reason: 'the media URL answered 404' },
    });
    expect((await app(['posts'], 'k2').request(`/v1/posts/${id}/retry`, { method: 'POST' })).status).toBe(
      404,
    );
    expect((await app(['messages']).request(`/v1/posts/${id}/retry`, { method: 'POST' })).status).toBe(403);
    const retried = await app().request(`/v1/posts/${id}/retry`, { method: 'POST' });
    expect(retried.status).toBe(200);
    expect(await retried.json()).toMatchObject({ post: { id, state: 'scheduled' } });
  });

  it('answers 404 for an unknown post', async () => {
    const res = await app().request('/v1/posts/nope');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      error: { code: 'not_found', message: 'no post nope; list posts with GET /v1/posts' },
    });
  });

  it('needs the posts scope', async () => {
    const res = await app(['messages']).request('/v1/posts');
    expect(res.status).toBe(403);
  });
});
