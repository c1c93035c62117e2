import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Hono } from 'hono';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pinnedFetch } from '#core/adapters/http/pinned-fetch.ts';
import type { ApiEnv } from '#core/api/auth.ts';
import { onApiError } from '#core/api/errors.ts';
import { PREVIEW_MAX_BYTES } from '#core/api/routes/post-media.ts';
import { postsApi } from '#core/api/routes/posts.ts';
import type { OutboundReach } from '#core/outbound/address-policy.ts';
import type { Scope } from '#core/ports/api-keys.ts';
import { InMemoryPostRepository } from '#test/fakes/in-memory-posts.ts';
import { InMemoryPostTenants } from '#test/fakes/in-memory-post-tenants.ts';
import { makeImage, makeMp4 } from '../media/support/fixtures.ts';

let posts: InMemoryPostRepository;
let tenants: InMemoryPostTenants;
let server: Server;
let base: string;
let png: Buffer;

beforeAll(async () => {
  png = await makeImage(64, 48, 'png');
  const mp4 = makeMp4({ durationMs: 3000 });
  const big = Buffer.concat([png, Buffer.alloc(PREVIEW_MAX_BYTES)]);
  server = createServer((req, res) => {
    // A host may say anything about its bytes: the preview goes by the bytes.
    if (req.url === '/a.png') res.writeHead(200, { 'content-type': 'text/html' }).end(png);
    else if (req.url === '/clip.mp4') res.writeHead(200).end(mp4);
    else if (req.url === '/big.png') res.writeHead(200).end(big);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  posts = new InMemoryPostRepository();
  tenants = new InMemoryPostTenants(posts);
});

/** The posts routes as the API mounts them, for `tenant`, reaching media as `reach` allows. */
function app(tenant = 'acme', reach: OutboundReach = 'loopback', scopes: Scope[] = ['posts']) {
  const root = new Hono<ApiEnv>();
  root.onError(onApiError());
  root.use('*', async (c, next) => {
    c.set('principal', { keyId: `key-${tenant}`, tenant, scopes });
    await next();
  });
  const api = postsApi(posts, tenants, ['ada'], pinnedFetch({ reach }));
  root.route('/v1', api.app);
  return root;
}

async function post(tenant: string, ...files: string[]) {
  const created = await posts.create({
    characterId: 'ada',
    kind: files.length > 1 ? 'carousel' : 'image',
    media: files.map((f) => ({ source: `${base}/${f}` })),
    caption: 'mugs',
    scheduledAt: new Date(),
  });
  await tenants.claim(created.id, tenant);
  return created.id;
}

const errorOf = async (res: Response) =>
  ((await res.json()) as { error: { code: string; message: string } }).error;

describe('GET /v1/posts/{id}/media/{index}', () => {
  it("serves a tenant's post image through this origin, typed by its bytes", async () => {
    const id = await post('acme', 'a.png');
    const res = await app().request(`/v1/posts/${id}/media/0`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await res.arrayBuffer()).equals(png)).toBe(true);
  });

  it("is another tenant's post missing, as every posts route says, and needs the posts scope", async () => {
    const id = await post('acme', 'a.png');
    const theirs = await app('globex').request(`/v1/posts/${id}/media/0`);
    expect(theirs.status).toBe(404);
    expect(await errorOf(theirs)).toMatchObject({
      code: 'not_found',
      message: expect.stringContaining(`no post ${id}`),
    });
    expect((await app('acme', 'loopback', ['messages']).request(`/v1/posts/${id}/media/0`)).status).toBe(403);
  });

  it('names the media a post has when asked for another', async () => {
    const id = await post('acme', 'a.png', 'a.png');
    for (const index of ['2', '-1', 'first']) {
      const res = await app().request(`/v1/posts/${id}/media/${index}`);
      expect(res.status, index).toBe(404);
      expect((await errorOf(res)).message).toBe(`post ${id} has media 0 to 1; ask for one of those`);
    }
  });

  it('says why there is no preview: a video, over 4 MB, gone, or an address the policy refuses', async () => {
    const cases: Array<[file: string, reach: OutboundReach, why: RegExp]> = [
      ['clip.mp4', 'loopback', /a mp4 has no preview here/],
      ['big.png', 'loopback', /the file is larger than 4 MB/],
      ['gone.png', 'loopback', /download answered HTTP 404/],
      ['a.png', 'public', /refusing to download media/],
    ];
    for (const [file, reach, why] of cases) {
      const id = await post('acme', file);
      const res = await app('acme', reach).request(`/v1/posts/${id}/media/0`);
      expect(res.status, file).toBe(502);
      const error = await errorOf(res);
      expect(error.code, file).toBe('media_unavailable');
      expect(error.message, file).toMatch(why);
    }
  });
});
