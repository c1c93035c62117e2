import { Hono } from 'hono';
import { SqlPostRepository } from '#core/adapters/store/posts.ts';
import { SqlPostTenants } from '#core/adapters/store/post-tenants.ts';
import type { PostTenants } from '#core/instagram/post-tenants.ts';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PgliteStore } from '#core/adapters/store/pglite.ts';
import type { ApiEnv } from '#core/api/auth.ts';
import { onApiError } from '#core/api/errors.ts';
import type { Scope } from '#core/ports/api-keys.ts';
import type { PostRepository } from '#core/instagram/post-repository.ts';
import { postsRoutes } from '#core/api/routes/posts.ts';
import { openPostsDb, resetPosts } from './support/store.ts';

let db: PgliteStore;
let posts: PostRepository;
let tenants: PostTenants;
const now = new Date('2030-05-01T10:00:00Z');

/** The routes as the API mounts them: under /v1, after the key check set a principal. */
function app(scopes: Scope[] = ['posts']) {
  const root = new Hono<ApiEnv>();
  root.onError(onApiError());
  root.use('*', async (c, next) => {
    c.set('principal', { keyId: 'k1', tenant: 'k1', scopes });
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

beforeAll(async () => {
  db = await openPostsDb();
  posts = new SqlPostRepository(db);
  tenants = new SqlPostTenants(db);
});
afterAll(() => db.close());
beforeEach(() => resetPosts(db));

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
