import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareMedia } from '#core/media/prepare.ts';
import { makeImage } from '#test/media/support/fixtures.ts';
import { SqlPostRepository } from '#core/adapters/store/posts.ts';
import { startPipeline } from '#test/instagram/support/pipeline.ts';
import { CountingStore } from '#test/support/counting-store.ts';
import { openMigratedPglite } from '#test/support/pglite.ts';
import { ms, percentile, sampleMs, type BenchRow } from './table.ts';

const POSTS = 40;

/**
 * The publisher on loopback peers (PGlite, ftp-srv + static HTTP, the Graph API fake with
 * containers IN_PROGRESS for one poll): how many posts and transitions one tick moves, and how
 * many SQL function calls (DB round trips) each step costs. Plus the image preparation cost.
 */
export async function benchInstagram(): Promise<BenchRow[]> {
  const db = await openMigratedPglite();
  const pipeline = await startPipeline({
    posts: new SqlPostRepository(db, 600),
    graph: { pollsUntilReady: 1, quotaTotal: 1000 },
  });
  const counting = new CountingStore(db);
  const countedPosts = new SqlPostRepository(counting, 600);
  try {
    for (let i = 0; i < POSTS; i++) {
      await pipeline.add({ media: [{ source: pipeline.files.jpeg }], caption: `bench ${i}` });
    }
    const ticks: Array<{ ms: number; moved: number; transitions: number }> = [];
    for (let i = 0; i < 10; i++) {
      const start = performance.now();
      const report = await pipeline.tick({ posts: countedPosts, limits: { batch: POSTS, pollSeconds: 30 } });
      if (!report.claimed.length) break;
      ticks.push({
        ms: performance.now() - start,
        moved: report.claimed.length,
        transitions: report.transitions,
      });
      pipeline.clock.advance(30);
    }
    const transitions = ticks.reduce((n, t) => n + t.transitions, 0);
    const published = (await pipeline.posts.list({ state: 'published', limit: 1000 })).length;
    const perTick = ticks.map((t) => t.moved);
    const calls = [...counting.calls].sort((a, b) => b[1] - a[1]);

    const dir = await mkdtemp(join(tmpdir(), 'carrier-bench-'));
    const png = join(dir, 'big.png');
    await writeFile(png, await makeImage(2000, 2000, 'png'));
    const prepare = await sampleMs(() => prepareMedia(png, 'image'), 5, 1);

    return [
      {
        suite: 'instagram',
        name: `ticks to publish ${POSTS} image posts`,
        value: String(ticks.length),
        note: `${published} published; containers IN_PROGRESS for one poll, so ≥ 2 ticks`,
      },
      {
        suite: 'instagram',
        name: 'posts advanced per tick',
        value: perTick.join(' / '),
        note: `batch ${POSTS}; ${transitions} transitions in all`,
      },
      {
        suite: 'instagram',
        name: 'tick time (first, with hosting)',
        value: ms(ticks[0]?.ms ?? 0),
        note: `${ms((ticks[0]?.ms ?? 0) / POSTS)} a post: sharp check, FTP upload, HTTP check, container`,
      },
      {
        suite: 'instagram',
        name: 'DB round trips per post step',
        value: (counting.total / transitions).toFixed(2),
        note: `${counting.total} SQL function calls for ${transitions} transitions: ${calls.map(([fn, n]) => `${fn} ${n}`).join(', ')}`,
      },
      {
        suite: 'instagram',
        name: 'prepare 2000×2000 PNG → JPEG',
        value: ms(percentile(prepare, 50)),
        note: `p95 ${ms(percentile(prepare, 95))}; sharp, scaled to 1440 px`,
      },
    ];
  } finally {
    await pipeline.close();
    await db.close();
  }
}
