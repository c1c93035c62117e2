import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { characterSchema } from '#core/characters/schema.ts';
import { planPosts, type PlannedCharacter } from '#core/instagram/plan.ts';
import { liveQuota } from '#core/instagram/plan-quota.ts';
import { InMemoryScheduleRepository } from '#test/fakes/in-memory-schedules.ts';
import { makeImage } from '../media/support/fixtures.ts';
import { startPipeline, type Pipeline } from './support/pipeline.ts';

let p: Pipeline;
let folder: string;
beforeAll(async () => {
  p = await startPipeline({
    graph: { quotaTotal: 3 },
    captions: Array.from({ length: 5 }, (_, i) => `caption ${i + 1}`),
  });
  folder = await mkdtemp(join(tmpdir(), 'carrier-plan-'));
  // Five different images (different sizes, so different content), and a file that is not media.
  for (let i = 1; i <= 5; i++)
    await writeFile(join(folder, `0${i}.jpg`), await makeImage(1000 + i * 10, 1000, 'jpeg'));
  await writeFile(join(folder, 'notes.txt'), 'not media');
});
afterAll(() => p?.close());

describe('an Instagram content plan', () => {
  it('publishes 3 distinct images of 5 across hourly firings with a quota of 3, and keeps 2', async () => {
    const { instagram } = characterSchema.parse({
      name: 'Ada',
      instagram: {
        plan: { cron: '0 * * * *', media: folder, caption_prompt: 'what grows in the garden this week' },
      },
    });
    const ada: PlannedCharacter = { id: 'ada', instagram };
    const schedules = new InMemoryScheduleRepository();
    const deps = {
      posts: p.posts,
      schedules,
      listMedia: async (dir: string) => (await readdir(dir)).map((f) => join(dir, f)),
      quota: liveQuota(p.deps()),
      now: p.clock.now,
    };
    const outcomes: string[] = [];
    // Ten hours of ticks, one plan run and a publisher settle per hour.
    expect((await planPosts([ada], deps))[0]?.outcome).toBe('not_due');
    for (let hour = 0; hour < 10; hour++) {
      p.clock.advance(3600);
      outcomes.push(...(await planPosts([ada], deps)).map((o) => o.outcome));
      await p.settle();
    }
    expect(outcomes.filter((o) => o === 'planned')).toHaveLength(3);
    expect(outcomes.filter((o) => o === 'quota_full')).toHaveLength(7);

    const posts = await p.posts.list({ characterId: 'ada' });
    expect(posts.map((post) => post.state)).toEqual(['published', 'published', 'published']);
    const files = posts.map((post) => post.idempotencyKey).sort();
    expect(files).toEqual(['plan:ada:01.jpg', 'plan:ada:02.jpg', 'plan:ada:03.jpg']);
    expect(new Set(posts.map((post) => post.mediaId)).size).toBe(3);
    expect(p.graph.published).toHaveLength(3);
    expect(posts.every((post) => post.captionPrompt === 'what grows in the garden this week')).toBe(true);

    // A day later the window has room again: the next unused files go, never one posted before.
    p.clock.advance(86_400);
    for (let hour = 0; hour < 3; hour++) {
      p.clock.advance(3600);
      outcomes.push(...(await planPosts([ada], deps)).map((o) => o.outcome));
      await p.settle();
    }
    const later = (await p.posts.list({ characterId: 'ada' })).map((post) => post.idempotencyKey).sort();
    expect(later).toEqual([
      'plan:ada:01.jpg',
      'plan:ada:02.jpg',
      'plan:ada:03.jpg',
      'plan:ada:04.jpg',
      'plan:ada:05.jpg',
    ]);
    expect(outcomes.at(-1)).toBe('no_media');
  });

  it('names the field of a bad plan in the character file', () => {
    const parsed = characterSchema.safeParse({
      name: 'Ada',
      instagram: { plan: { cron: 'every day', media: '', caption_prompt: 'x', folder: 'oops' } },
    });
    expect(parsed.success).toBe(false);
    const messages = parsed.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(messages).toContain('instagram.plan: Unrecognized key: "folder"');
  });
});
