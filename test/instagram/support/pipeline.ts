import { mkdtemp, writeFile } from 'node:fs/promises';
import { graphClients, mediaHost } from '#core/wiring/instagram-parts.ts';
import { SqlPostRepository } from '#core/adapters/store/posts.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assistantMessage, ScriptedModel } from '@openai/agents/testing';
import { pinnedFetch } from '#core/adapters/http/pinned-fetch.ts';
import type { Character } from '#core/characters/schema.ts';
import type { PgliteStore } from '#core/adapters/store/pglite.ts';
import type { ResolvedModel } from '#core/ports/model.ts';
import type { SqlStore } from '#core/ports/sql.ts';
import type { PostRepository } from '#core/instagram/post-repository.ts';
import { type CreatePostInput } from '#core/instagram/post-repository.ts';
import { parseInstagramSettings } from '#core/instagram/settings.ts';
import { tickPublisher, type PublisherDeps, type TickReport } from '#core/instagram/tick.ts';
import { startFakeGraphApi, type FakeGraphOptions } from '#test/fakes/graph-api.ts';
import { startMediaHost } from '#test/fakes/ftp.ts';
import { makeImage, makeMp4 } from '../../media/support/fixtures.ts';

export const ACCOUNT = '17841400000000001';

export const ada: Character = {
  id: 'ada',
  source: 'characters/ada.json',
  name: 'Ada',
  bio: ['A gardener who writes about soil.'],
  adjectives: ['patient', 'dry-humoured'],
  style: { all: ['gentle'], post: ['seasonal', 'one image, one thought'] },
  postExamples: ['Leave the leaves. Your soil will thank you in spring.', 'Mulch is a love letter to May.'],
  instagram: { hashtags: ['#garden'] },
};

/** A clock the test moves by hand; Meta's fake and the store read the same time. */
export class Clock {
  constructor(public t = new Date('2030-03-01T08:00:00Z')) {}
  now = () => new Date(this.t);
  advance(seconds: number) {
    this.t = new Date(+this.t + seconds * 1000);
  }
}

export interface Pipeline {
  db: SqlStore;
  posts: PostRepository;
  clock: Clock;
  graph: Awaited<ReturnType<typeof startFakeGraphApi>>;
  media: Awaited<ReturnType<typeof startMediaHost>>;
  env: Record<string, string>;
  files: { jpeg: string; png: string; webp: string; tall: string; mp4: string; text: string };
  captions: ScriptedModel;
  deps(over?: Partial<PublisherDeps>): PublisherDeps;
  /** `store` swaps the SQL store under the posts repository (a dying or counting store). */
  tick(over?: Partial<PublisherDeps> & { store?: SqlStore; leaseSeconds?: number }): Promise<TickReport>;
  /** Ticks, moving the clock by the poll interval between ticks, until nothing is due or `max` ticks ran. */
  settle(max?: number, over?: Partial<PublisherDeps>): Promise<TickReport[]>;
  add(
    input: Partial<CreatePostInput> & { media: CreatePostInput['media'] },
  ): ReturnType<PostRepository['create']>;
  close(): Promise<void>;
}

export const POLL_SECONDS = 30;

/** The whole pipeline on loopback: PGlite, ftp-srv + static HTTP, and the Graph API fake. */
export async function startPipeline(
  db: PgliteStore,
  opts: { graph?: FakeGraphOptions; captions?: string[] } = {},
): Promise<Pipeline> {
  const clock = new Clock();
  const [graph, media] = await Promise.all([
    startFakeGraphApi({ now: clock.now, ...opts.graph }),
    startMediaHost(),
  ]);
  const dir = await mkdtemp(join(tmpdir(), 'carrier-posts-'));
  const file = async (name: string, bytes: Buffer) => {
    await writeFile(join(dir, name), bytes);
    return join(dir, name);
  };
  const files = {
    jpeg: await file('photo.jpg', await makeImage(1080, 1080, 'jpeg')),
    png: await file('drawing.png', await makeImage(800, 1000, 'png')),
    webp: await file('leaf.webp', await makeImage(900, 600, 'webp')),
    tall: await file('tall.png', await makeImage(400, 1000, 'png')),
    mp4: await file('clip.mp4', makeMp4({ durationMs: 9_000 })),
    text: await file('notes.png', Buffer.from('not an image at all')),
  };
  const captions = new ScriptedModel((opts.captions ?? []).map((text) => [assistantMessage(text)]));
  const model: ResolvedModel = { model: captions, provider: 'openai', name: 'scripted' };
  const env = {
    ...media.env,
    INSTAGRAM_ACCOUNT_ID: ACCOUNT,
    INSTAGRAM_ACCESS_TOKEN: 'good-token',
    INSTAGRAM_GRAPH_URL: graph.url,
  };
  const posts = new SqlPostRepository(db, 600);
  const settings = parseInstagramSettings(env);
  // `store` swaps the SQL store under the posts repository (a dying or counting store).
  type Over = Partial<PublisherDeps> & { store?: SqlStore; leaseSeconds?: number };
  // As the local stack's, but loopback only: the fakes are on 127.0.0.1.
  const fetch = pinnedFetch({ reach: 'loopback' });
  const host = mediaHost(settings, fetch);
  const deps = ({ store, leaseSeconds, ...over }: Over = {}): PublisherDeps => ({
    posts: store || leaseSeconds ? new SqlPostRepository(store ?? db, leaseSeconds ?? 600) : posts,
    settings,
    graph: graphClients(settings, fetch),
    ...(host ? { host } : {}),
    fetch,
    character: async (id) => {
      if (id !== 'ada') throw new Error(`unknown character ${id}`);
      return ada;
    },
    model: () => model,
    now: clock.now,
    limits: { pollSeconds: POLL_SECONDS, backoffSeconds: 60, batch: 10 },
    ...over,
  });
  const tick = (over?: Over) => tickPublisher(deps(over));
  return {
    db,
    posts,
    clock,
    graph,
    media,
    env,
    files,
    captions,
    deps,
    tick,
    async settle(max = 20, over) {
      const reports: TickReport[] = [];
      for (let i = 0; i < max; i++) {
        const report = await tick(over);
        reports.push(report);
        if (report.claimed.length === 0) break;
        clock.advance(POLL_SECONDS);
      }
      return reports;
    },
    add: (input) =>
      posts.create({
        characterId: 'ada',
        kind: 'image',
        scheduledAt: clock.now(),
        caption: 'A caption',
        ...input,
      }),
    close: async () => {
      await Promise.all([graph.close(), media.close()]);
    },
  };
}
