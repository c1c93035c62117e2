import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ModelError } from '#core/adapters/models/model-error.ts';
import type { Post } from '#core/instagram/post.ts';
import { ACCOUNT, startPipeline, type Pipeline } from './support/pipeline.ts';
import { watchedPosts } from './support/watched-posts.ts';

let p: Pipeline;

beforeAll(async () => {
  p = await startPipeline({ graph: { pollsUntilReady: 1 } });
});
afterAll(async () => {
  await p?.close();
});
beforeEach(async () => {
  p.resetPosts();
  p.media.http.blockUserAgent = undefined;
  p.graph.tokens.add('good-token');
});

const HOUR = 3600;

describe('Graph API errors end each post in the right state with a clear reason', () => {
  it('unreachable media (9004): fails, saying Meta could not download it and what to check', async () => {
    // Our own check passes; a firewall in front of HTTP_SERVER blocks Meta's crawler.
    p.media.http.blockUserAgent = /facebookexternalhit/;
    const post = await p.add({ media: [{ source: p.files.jpeg }] });
    await p.settle();
    const failed = await p.posts.get(post.id);
    expect(failed).toMatchObject({
      state: 'failed',
      errorKind: 'fix_input',
      errorCode: 9004,
      errorSubcode: 2207052,
    });
    expect(failed?.reason).toMatch(
      /^Meta could not download the media from its URL: make sure HTTP_SERVER serves the FTP folder publicly over the internet \(Meta code 9004, subcode 2207052: Media download has failed\.\)$/,
    );
    expect(p.graph.published).toHaveLength(0);
  });

  it('unsupported video format (352/2207026): fails with what to change', async () => {
    p.graph.failNext('create', {
      code: 352,
      subcode: 2207026,
      message: 'The video format is not supported.',
    });
    const post = await p.add({ kind: 'reel', media: [{ source: p.files.mp4 }] });
    await p.settle();
    expect(await p.posts.get(post.id)).toMatchObject({
      state: 'failed',
      errorCode: 352,
      errorSubcode: 2207026,
      reason: expect.stringMatching(
        /^the video format is not supported: use MP4 or MOV \(H\.264\/HEVC, AAC audio\)/,
      ),
    });
  });

  it('unsupported image format (36001): fails with what to change', async () => {
    p.graph.failNext('create', { code: 36001, message: 'The image format is not supported.' });
    const post = await p.add({ media: [{ source: p.files.jpeg }] });
    await p.settle();
    expect(await p.posts.get(post.id)).toMatchObject({
      state: 'failed',
      errorCode: 36001,
      reason: expect.stringMatching(
        /^the media format is not supported: use a JPEG image or an MP4\/MOV video/,
      ),
    });
  });

  it('a file that is not an image fails before anything is uploaded', async () => {
    const uploads = p.media.ftp.uploads.length;
    const post = await p.add({ media: [{ source: p.files.text }] });
    await p.settle();
    expect(await p.posts.get(post.id)).toMatchObject({
      state: 'failed',
      errorKind: 'fix_input',
      reason: `${p.files.text}: not an image or video Instagram accepts; use JPEG, PNG or WebP images, or MP4/MOV videos`,
    });
    expect(p.media.ftp.uploads.length).toBe(uploads);
  });

  it('expired token (190): the post waits with the reason, and continues once the token is replaced', async () => {
    p.graph.tokens.delete('good-token');
    const post = await p.add({ media: [{ source: p.files.jpeg }] });
    const report = await p.tick();
    const parked = await p.posts.get(post.id);
    expect(parked).toMatchObject({ state: 'media_hosted', errorKind: 'reauth', errorCode: 190 });
    expect(parked?.reason).toMatch(
      /^the access token expired or was revoked: create a new long-lived token and set it/,
    );
    expect(parked?.reason).toMatch(/set a new token in INSTAGRAM_ACCESS_TOKEN/);
    expect(report.warnings.join('\n')).toMatch(/ada: the access token expired/);
    expect(parked?.attempts).toBe(0);

    p.graph.tokens.add('good-token');
    p.clock.advance(HOUR);
    await p.settle();
    expect((await p.posts.get(post.id))?.state).toBe('published');
  });

  it('media not ready (9007): goes back to polling, then publishes exactly once', async () => {
    p.graph.failNext('publish', { code: 9007, subcode: 2207027, message: 'Media ID is not available' });
    const post = await p.add({ media: [{ source: p.files.jpeg }] });
    const reports = await p.settle();
    const done = await p.posts.get(post.id);
    expect(done?.state).toBe('published');
    expect(reports.flatMap((r) => r.waiting).map((w) => w.reason)).toContainEqual(
      expect.stringMatching(/^Instagram says the media is not ready for publishing yet \(status check \d\)$/),
    );
    expect(p.graph.publishCalls.get(done!.containerId!)).toBe(2);
    expect(p.graph.published.filter((x) => x.containerId === done!.containerId)).toHaveLength(1);
  });

  it('spam block (2207051): fails with the reason and gives the quota slot back', async () => {
    p.graph.failNext('publish', { code: 4, subcode: 2207051, message: 'We restrict certain activity' });
    const post = await p.add({ media: [{ source: p.files.jpeg }] });
    await p.settle();
    const failed = await p.posts.get(post.id);
    expect(failed).toMatchObject({
      state: 'failed',
      errorKind: 'fix_input',
      errorCode: 4,
      errorSubcode: 2207051,
    });
    expect(failed?.reason).toMatch(/^Instagram blocked this publish as suspected spam/);
    expect(await p.posts.quotaUsed(ACCOUNT, 86_400, p.clock.now())).toMatchObject({
      published: 0,
      inflight: 0,
    });
  });

  it('a publish whose answer is lost is reconciled from the container status, not sent again', async () => {
    p.graph.dropNextPublishResponse();
    // Its own caption: earlier tests' media are still on the fake account, with the default one.
    const post = await p.add({ media: [{ source: p.files.jpeg }], caption: 'Lost in transit' });
    const first = await p.settle(4);
    expect(first.flatMap((r) => r.waiting).some((w) => w.state === 'publishing')).toBe(true);
    p.clock.advance(120);
    await p.settle();
    const done = await p.posts.get(post.id);
    expect(done?.state).toBe('published');
    expect(p.graph.publishCalls.get(done!.containerId!)).toBe(1);
    expect(done?.mediaId).toBe(p.graph.published.find((x) => x.containerId === done!.containerId)?.mediaId);
    expect(done?.reason).toMatch(/recorded from the container status/);
  });

  it('a publish whose outcome stays unreadable waits in publishing for ever: never failed, never published twice', async () => {
    p.graph.dropNextPublishResponse();
    const post = await p.add({ media: [{ source: p.files.jpeg }], caption: 'Status unreadable' });
    await p.settle(4);
    // More failed status reads than the attempts any other step gets before it fails.
    const reads = 10;
    p.graph.failNext(
      'status',
      { status: 500, code: 2, message: 'Service unavailable', transient: true },
      reads,
    );
    for (let i = 0; i < reads; i++) {
      p.clock.advance(HOUR);
      await p.tick();
      const waiting = await p.posts.get(post.id);
      expect(waiting).toMatchObject({ state: 'publishing', errorKind: 'unknown_outcome' });
      expect(waiting?.reason).toMatch(
        /^the publish may already be on Instagram and its outcome is not known yet \(Meta is temporarily unavailable.*\); the container's status is read again at .* \(check \d+\), and the post is published again only if Instagram says it was not$/,
      );
      expect((await p.posts.retry(post.id, p.clock.now())).outcome).toBe('retrying');
    }
    expect(await p.posts.quotaUsed(ACCOUNT, 86_400, p.clock.now())).toMatchObject({ inflight: 1 });
    p.clock.advance(HOUR);
    await p.settle();
    const done = await p.posts.get(post.id);
    expect(done).toMatchObject({
      state: 'published',
      reason: expect.stringMatching(/recorded from the container status/),
    });
    expect(p.graph.publishCalls.get(done!.containerId!)).toBe(1);
    expect(p.graph.published.filter((x) => x.caption === 'Status unreadable')).toHaveLength(1);
  });

  it('a media URL on a private address fails the post without being fetched', async () => {
    const post = await p.add({ media: [{ source: 'http://169.254.169.254/latest/meta-data/x.jpg' }] });
    await p.tick();
    expect(await p.posts.get(post.id)).toMatchObject({
      state: 'failed',
      errorKind: 'fix_input',
      reason:
        'http://169.254.169.254/latest/meta-data/x.jpg: refusing to download media: 169.254.169.254 is a link-local address (169.254.0.0/16); use a public http(s) URL or a local file path',
    });
  });

  it('a missing model key fails the post at once with the fix, instead of retrying it', async () => {
    const post = await p.add({
      media: [{ source: p.files.jpeg }],
      caption: undefined,
      captionPrompt: 'spring',
    });
    const noKey = new ModelError(
      "ada uses openai but OPENAI_API_KEY is not set; add OPENAI_API_KEY to the environment's secrets",
      'model_key_missing',
    );
    await p.tick({
      model: () => {
        throw noKey;
      },
    });
    expect(await p.posts.get(post.id)).toMatchObject({
      state: 'failed',
      errorKind: 'fix_input',
      attempts: 0,
      reason: `${noKey.message}; once that is fixed, run \`carrier posts retry ${post.id}\``,
    });
  });

  it('a carousel item that fails to get its container does not remake the items already made', async () => {
    const before = new Set(p.graph.containers.keys());
    const post = await p.add({
      kind: 'carousel',
      media: [{ source: p.files.jpeg }, { source: p.files.png }, { source: p.files.webp }],
      caption: 'Three leaves',
    });
    // Meta fails the second item's container right after the first one was recorded.
    const posts = watchedPosts(p.posts, {
      after: (method, result) => {
        if (method === 'advance' && (result as Post | undefined)?.children?.length === 1) {
          p.graph.failNext('create', {
            status: 500,
            code: 2,
            message: 'Service unavailable',
            transient: true,
          });
        }
      },
    });
    await p.tick({ posts });
    expect((await p.posts.get(post.id))?.children).toHaveLength(1);
    p.clock.advance(HOUR);
    await p.settle();
    const done = await p.posts.get(post.id);
    expect(done?.state).toBe('published');
    const items = [...p.graph.containers.entries()].filter(
      ([id, c]) => !before.has(id) && c.params.is_carousel_item === 'true',
    );
    expect(items.map(([id]) => id).sort()).toEqual([...done!.children!].sort());
  });

  it('a rate limit on container creation waits with backoff and then succeeds', async () => {
    p.graph.failNext('create', { code: 4, message: 'Application request limit reached', transient: true });
    const post = await p.add({ media: [{ source: p.files.jpeg }] });
    const [first] = await p.settle(1);
    expect(first?.waiting[0]).toMatchObject({ state: 'media_hosted' });
    expect(first?.waiting[0]?.reason).toMatch(
      /the app hit its API rate limit .*\(attempt 1 of 6; will retry\)$/,
    );
    p.clock.advance(120);
    await p.settle();
    expect((await p.posts.get(post.id))?.state).toBe('published');
  });

  it('a retryable error that never clears fails the post after the last attempt', async () => {
    p.graph.failNext(
      'create',
      { status: 500, code: 2, message: 'Service temporarily unavailable', transient: true },
      6,
    );
    const post = await p.add({ media: [{ source: p.files.jpeg }] });
    for (let i = 0; i < 6; i++) {
      await p.tick();
      p.clock.advance(HOUR);
    }
    expect(await p.posts.get(post.id)).toMatchObject({
      state: 'failed',
      reason: expect.stringMatching(/^gave up after 6 attempts: Meta is temporarily unavailable/),
    });
  });

  it('a character with no Instagram account waits and says which variables to set', async () => {
    const post = await p.posts.create({
      characterId: 'bob',
      kind: 'image',
      media: [{ source: p.files.jpeg }],
      scheduledAt: p.clock.now(),
    });
    const env = { ...p.env, INSTAGRAM_ACCOUNT_ID: '', INSTAGRAM_ACCESS_TOKEN: '' };
    const { parseInstagramSettings } = await import('#core/instagram/settings.ts');
    await p.tick({ settings: parseInstagramSettings(env) });
    expect(await p.posts.get(post.id)).toMatchObject({
      state: 'scheduled',
      errorKind: 'reauth',
      reason:
        'no Instagram account for bob: set INSTAGRAM_ACCOUNT_ID and INSTAGRAM_ACCESS_TOKEN (or INSTAGRAM_BOB_ACCOUNT_ID and _ACCESS_TOKEN)',
    });
  });
});
