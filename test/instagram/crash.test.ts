import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPipeline, type Pipeline } from './support/pipeline.ts';
import { STEP_WRITES, watchedPosts } from './support/watched-posts.ts';

let p: Pipeline;

beforeAll(async () => {
  p = await startPipeline({ graph: { pollsUntilReady: 1 } });
});
afterAll(async () => {
  await p?.close();
});

/** The process died: nothing after this point runs. */
class Killed extends Error {
  override name = 'Killed';
}

/** At least the number of writes a clean run of the three posts makes (checked below). */
const KILL_POINTS = 24;

/**
 * The posts as a process sees them that dies right after its k-th step write that took effect
 * (the write is kept, the caller never learns it), or right before the first call to
 * `beforeMethod`. Every call after that fails.
 */
function dyingPosts(opts: { afterWrite?: number; beforeMethod?: string }) {
  let writes = 0;
  let dead = false;
  const posts = watchedPosts(p.posts, {
    before: (method) => {
      if (dead || method === opts.beforeMethod) {
        dead = true;
        throw new Killed(`killed before ${method}`);
      }
    },
    after: (method, result) => {
      if (STEP_WRITES.has(method) && result !== undefined && ++writes === opts.afterWrite) {
        dead = true;
        throw new Killed(`killed after write ${writes} (${method})`);
      }
    },
  });
  return { posts, writes: () => writes, dead: () => dead };
}

async function addPosts() {
  return Promise.all([
    p.add({ media: [{ source: p.files.jpeg }], caption: 'crash image' }),
    p.add({
      kind: 'carousel',
      media: [{ source: p.files.png }, { source: p.files.webp }],
      caption: 'crash carousel',
    }),
    p.add({ kind: 'reel', media: [{ source: p.files.mp4 }], caption: 'crash reel' }),
  ]);
}

/** Runs ticks over the dying posts until they die, then resumes with a healthy scheduler. */
async function crashAndResume(kill: { afterWrite?: number; beforeMethod?: string }) {
  p.resetPosts();
  // A day apart: each run starts with the whole publishing quota.
  p.clock.advance(86_400);
  const firstPublished = p.graph.published.length;
  const created = await addPosts();
  const dying = dyingPosts(kill);
  for (let i = 0; i < 12 && !dying.dead(); i++) {
    await p.tick({ posts: dying.posts, owner: 'doomed' }).catch((error: unknown) => {
      if (!(error instanceof Killed)) throw error;
    });
    p.clock.advance(30);
  }
  // The dead run's leases expire; a new scheduler picks everything up.
  p.clock.advance(601);
  await p.settle(20, { owner: 'survivor' });
  const posts = await Promise.all(created.map((c) => p.posts.get(c.id)));
  const published = p.graph.published.slice(firstPublished);
  return { posts, published, died: dying.dead(), writes: dying.writes() };
}

describe('crash safety: killed after any transition, resumed, each post is published exactly once', () => {
  it('counts the writes of a clean run: the kill points below cover every one', async () => {
    const { posts, published, died, writes } = await crashAndResume({});
    expect(died).toBe(false);
    expect(writes).toBeGreaterThan(10);
    expect(writes).toBeLessThanOrEqual(KILL_POINTS);
    expect(posts.map((x) => x?.state)).toEqual(['published', 'published', 'published']);
    expect(published).toHaveLength(3);
  });

  it.each(Array.from({ length: KILL_POINTS }, (_, i) => i + 1))('killed after write %i', async (k) => {
    const { posts, published } = await crashAndResume({ afterWrite: k });
    expect(posts.map((x) => x?.state)).toEqual(['published', 'published', 'published']);
    expect(published).toHaveLength(3);
    const containers = posts.map((x) => x!.containerId);
    expect(published.map((x) => x.containerId).sort()).toEqual([...containers].sort());
    for (const post of posts) {
      expect(post?.mediaId).toBe(published.find((x) => x.containerId === post?.containerId)?.mediaId);
    }
  });

  it('killed after media_publish succeeded but before it was recorded: reconciled, not published again', async () => {
    const { posts, published } = await crashAndResume({ beforeMethod: 'published' });
    expect(posts.map((x) => x?.state)).toEqual(['published', 'published', 'published']);
    expect(published).toHaveLength(3);
    const recovered = posts.filter((x) => x?.reason?.includes('recorded from the container status'));
    expect(recovered).toHaveLength(1);
    expect(recovered[0]?.mediaId).toBe(
      published.find((x) => x.containerId === recovered[0]?.containerId)?.mediaId,
    );
    for (const post of posts) expect(p.graph.publishCalls.get(post!.containerId!)).toBe(1);
  });
});
