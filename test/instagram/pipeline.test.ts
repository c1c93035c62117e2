import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startPipeline, type Pipeline } from './support/pipeline.ts';

let p: Pipeline;

beforeAll(async () => {
  p = await startPipeline({ captions: ['"Frost on the kale: sweeter by the morning. #winter @kew"'] });
});
afterAll(async () => {
  await p?.close();
});
beforeEach(() => p.resetPosts());

describe('publishing pipeline against FTP, HTTP and the Graph API on loopback', () => {
  it('publishes an image post once: hosted, downloaded by Meta, polled across ticks, recorded', async () => {
    const post = await p.add({ media: [{ source: p.files.jpeg }] });
    const reports = await p.settle();

    const done = await p.posts.get(post.id);
    expect(done).toMatchObject({ state: 'published', reason: null });
    expect(done?.mediaId).toMatch(/^1790/);
    expect(done?.permalink).toMatch(/^https:\/\/www\.instagram\.com\/p\//);
    // Meta's fake answered IN_PROGRESS twice: the post waited for later ticks instead of sleeping.
    expect(reports.length).toBeGreaterThanOrEqual(3);
    expect(reports[0]!.waiting[0]).toMatchObject({ id: post.id, state: 'container_created' });
    expect(p.graph.published).toHaveLength(1);
    expect(p.graph.publishCalls.get(done!.containerId!)).toBe(1);
    // The file is named by its content hash, stayed on the FTP host, and Meta downloaded it from HTTP_SERVER.
    const hosted = done!.media[0]!;
    expect(hosted.name).toMatch(/^[0-9a-f]{64}\.jpg$/);
    expect(hosted.url).toBe(`${p.media.http.url}/${hosted.name}`);
    expect(p.graph.downloads).toContain(hosted.url);
    expect((await p.media.readHosted(hosted.name!)).length).toBe(hosted.bytes);
  });

  it('writes the caption in the character voice from a prompt, once, within the limits', async () => {
    const post = await p.posts.create({
      characterId: 'ada',
      kind: 'image',
      media: [{ source: p.files.png }],
      scheduledAt: p.clock.now(),
      captionPrompt: 'frost on the kale this morning',
    });
    await p.settle();
    const done = await p.posts.get(post.id);
    expect(done?.state).toBe('published');
    expect(done?.caption).toBe('Frost on the kale: sweeter by the morning. #winter @kew\n\n#garden');
    expect(p.graph.published.at(-1)?.caption).toBe(done?.caption);
    expect(p.captions.calls).toHaveLength(1);
    const instructions = p.captions.calls[0]!.request.systemInstructions ?? '';
    expect(instructions).toContain('Leave the leaves. Your soil will thank you in spring.');
    expect(instructions).toContain('seasonal');
    expect(instructions).toContain('2200 characters, 30 hashtags and 20 @mentions');
  });

  it('converts a PNG and a WebP and publishes them as one carousel, counted once', async () => {
    const post = await p.add({
      kind: 'carousel',
      media: [{ source: p.files.png }, { source: p.files.webp }],
    });
    await p.settle();
    const done = await p.posts.get(post.id);
    expect(done?.state).toBe('published');
    expect(done?.children).toHaveLength(2);
    expect(done?.media.every((m) => m.name?.endsWith('.jpg'))).toBe(true);
    expect(p.graph.published.filter((x) => x.containerId === done?.containerId)).toHaveLength(1);
    expect(p.graph.containers.get(done!.containerId!)?.params).toMatchObject({
      media_type: 'CAROUSEL',
      children: done!.children!.join(','),
    });
    expect((await p.posts.quotaUsed(p.env.INSTAGRAM_ACCOUNT_ID!, 86_400, p.clock.now())).published).toBe(1);
  });

  it('publishes a reel with its options and a story without a caption', async () => {
    const reel = await p.add({
      kind: 'reel',
      media: [{ source: p.files.mp4 }],
      options: { shareToFeed: true, thumbOffset: 1500 },
    });
    const story = await p.posts.create({
      characterId: 'ada',
      kind: 'story',
      media: [{ source: p.files.tall }],
      scheduledAt: p.clock.now(),
    });
    await p.settle();
    const [r, s] = [await p.posts.get(reel.id), await p.posts.get(story.id)];
    expect([r?.state, s?.state]).toEqual(['published', 'published']);
    expect(p.graph.containers.get(r!.containerId!)?.params).toMatchObject({
      media_type: 'REELS',
      share_to_feed: 'true',
      thumb_offset: '1500',
      video_url: r!.media[0]!.url,
    });
    expect(p.graph.containers.get(s!.containerId!)?.params).toMatchObject({ media_type: 'STORIES' });
    expect(p.graph.containers.get(s!.containerId!)?.params.caption).toBeUndefined();
  });

  it('leaves a post scheduled in the future alone', async () => {
    const later = await p.add({
      media: [{ source: p.files.jpeg }],
      scheduledAt: new Date(+p.clock.now() + 3600_000),
    });
    const report = await p.tick();
    expect(report.claimed).toEqual([]);
    expect((await p.posts.get(later.id))?.state).toBe('scheduled');
  });

  it('never lets two schedulers ticking at once work on the same post', async () => {
    const created = await Promise.all(
      Array.from({ length: 12 }, () => p.add({ media: [{ source: p.files.jpeg }] })),
    );
    const before = p.graph.published.length;
    for (let round = 0; round < 12; round++) {
      const [a, b] = await Promise.all([
        p.tick({ owner: 'a', limits: { batch: 4, pollSeconds: 30 } }),
        p.tick({ owner: 'b', limits: { batch: 4, pollSeconds: 30 } }),
      ]);
      expect(a.claimed.filter((id) => b.claimed.includes(id))).toEqual([]);
      expect([...a.lost, ...b.lost]).toEqual([]);
      p.clock.advance(30);
    }
    const states = await Promise.all(created.map(async (c) => (await p.posts.get(c.id))?.state));
    expect(states.every((s) => s === 'published')).toBe(true);
    const mine = p.graph.published.slice(before);
    expect(mine).toHaveLength(12);
    expect(new Set(mine.map((m) => m.containerId)).size).toBe(12);
    expect([...p.graph.publishCalls.values()].every((n) => n === 1)).toBe(true);
  });
});
