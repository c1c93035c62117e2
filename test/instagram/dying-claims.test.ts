import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PgliteStore } from '#core/adapters/store/pglite.ts';
import { SqlPostRepository } from '#core/adapters/store/posts.ts';
import type { SqlStore } from '#core/ports/sql.ts';
import { emptyTables, openMigratedPglite } from '#test/support/pglite.ts';
import { startPipeline, type Pipeline } from './support/pipeline.ts';

// The claim count lives in SQL (a trigger and post_claim), so these tests run on PGlite.
const LEASE_SECONDS = 60;
let db: PgliteStore;
let p: Pipeline;

beforeAll(async () => {
  db = await openMigratedPglite();
  p = await startPipeline({ graph: { pollsUntilReady: 1 }, posts: new SqlPostRepository(db, LEASE_SECONDS) });
});
afterAll(async () => {
  await p?.close();
  await db?.close();
});
beforeEach(() => emptyTables(db));

/** The process died: nothing after this point runs. */
class Killed extends Error {
  override name = 'Killed';
}

/** A store on which every write by the scheduler dies, as a tick killed by the post would. */
const dying = (): SqlStore => ({
  rpc: (fn, args) =>
    fn === 'post_claim' ? db.rpc(fn, args) : Promise.reject(new Killed(`killed before ${fn}`)),
  close: async () => undefined,
});

describe('a post whose claims keep dying', () => {
  it('fails on the claim after the limit, saying what happened and what to do', async () => {
    const posts = new SqlPostRepository(db, LEASE_SECONDS);
    const post = await p.add({ media: [{ source: p.files.jpeg }] });
    for (let claim = 1; claim <= 3; claim++) {
      expect((await posts.claim(`tick-${claim}`, 10, p.clock.now(), 3)).map((x) => x.state)).toEqual([
        'scheduled',
      ]);
      // The tick dies: no write, the lease runs out.
      p.clock.advance(LEASE_SECONDS + 1);
    }
    const [failed] = await posts.claim('tick-4', 10, p.clock.now(), 3);
    expect(failed).toMatchObject({
      id: post.id,
      state: 'failed',
      errorKind: 'retry',
      leaseOwner: null,
      reason: `claimed 3 times by publisher runs that never finished it (each crashed, timed out or ran out of memory) while scheduled; find the cause in the publisher's logs for post ${post.id} (a media file too large for its memory is the usual one), fix it and retry the post`,
    });
    expect(await posts.claim('tick-5', 10, p.clock.now(), 3)).toEqual([]);
    expect((await posts.retry(post.id, p.clock.now())).outcome).toBe('retrying');
  });

  it('counts only claims in a row: a tick that writes back starts the count again', async () => {
    const posts = new SqlPostRepository(db, LEASE_SECONDS);
    await p.add({ media: [{ source: p.files.jpeg }] });
    for (let round = 0; round < 3; round++) {
      await posts.claim(`dies-${round}`, 10, p.clock.now(), 2);
      p.clock.advance(LEASE_SECONDS + 1);
      const [claimed] = await posts.claim(`waits-${round}`, 10, p.clock.now(), 2);
      expect(claimed?.state).toBe('scheduled');
      await posts.wait(claimed!.id, `waits-${round}`, p.clock.now(), {
        state: 'scheduled',
        until: p.clock.now(),
      });
    }
  });

  it('the publisher reports the post failed once its runs died on it CARRIER_POST_MAX_CLAIMS times', async () => {
    const post = await p.add({ media: [{ source: p.files.jpeg }] });
    const limits = { maxClaims: 2, batch: 10 };
    for (let run = 0; run < 2; run++) {
      await expect(p.tick({ posts: new SqlPostRepository(dying(), LEASE_SECONDS), limits })).rejects.toThrow(
        Killed,
      );
      p.clock.advance(LEASE_SECONDS + 1);
    }
    const report = await p.tick({ limits });
    expect(report.failed).toEqual([
      {
        id: post.id,
        character: post.characterId,
        reason: expect.stringMatching(/^claimed 2 times by publisher runs/),
      },
    ]);
    expect(await p.posts.get(post.id)).toMatchObject({ state: 'failed' });
    expect(p.graph.published).toEqual([]);
  });
});
