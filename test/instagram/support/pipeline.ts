import { pinnedFetch } from '#core/adapters/http/pinned-fetch.ts';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { graphClients, mediaHost } from '#core/wiring/instagram-parts.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assistantMessage, ScriptedModel } from '@openai/agents/testing';
import type { Character } from '#core/characters/schema.ts';
import type { ResolvedModel } from '#core/ports/model.ts';
import type { PostRepository } from '#core/instagram/post-repository.ts';
import { type CreatePostInput } from '#core/instagram/post-repository.ts';
import { parseInstagramSettings } from '#core/instagram/settings.ts';
import { tickPublisher, type PublisherDeps, type TickReport } from '#core/instagram/tick.ts';
import { startFakeGraphApi, type FakeGraphOptions } from '#test/fakes/graph-api.ts';
import { startMediaHost } from '#test/fakes/ftp.ts';
import { InMemoryPostRepository } from '#test/fakes/in-memory-posts.ts';
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
  /** The posts the pipeline works on (a fresh set after `resetPosts`). */
  readonly posts: PostRepository;
  /** Starts over with no posts, publishes or token records (in-memory posts only). */
  resetPosts(): void;
  clock: Clock;
  graph: Awaited<ReturnType<typeof startFakeGraphApi>>;
  media: Awaited<ReturnType<typeof startMediaHost>>;
  env: Record<string, string>;
  files: { jpeg: string; png: string; webp: string; tall: string; mp4: string; text: string };
  captions: ScriptedModel;
  deps(over?: Partial<PublisherDeps>): PublisherDeps;
  /** `posts` swaps the repository the tick uses (a dying or counting one over the same posts). */
  tick(over?: Partial<PublisherDeps>): Promise<TickReport>;
  /** Ticks, moving the clock by the poll interval between ticks, until nothing is due or `max` ticks ran. */
  settle(max?: number, over?: Partial<PublisherDeps>): Promise<TickReport[]>;
  add(
    input: Partial<CreatePostInput> & { media: CreatePostInput['media'] },
  ): ReturnType<PostRepository['create']>;
  close(): Promise<void>;
}

export const POLL_SECONDS = 30;

/**
 * The whole pipeline on loopback: ftp-srv + static HTTP and the Graph API fake, over the
 * in-memory posts (600 s leases) unless `posts` is given (the bench passes the SQL one).
 */
export async function startPipeline(
  opts: { posts?: PostRepository; graph?: FakeGraphOptions; captions?: string[] } = {},
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
  let posts = opts.posts ?? new InMemoryPostRepository(600);
  const settings = parseInstagramSettings(env);
  // As the local stack's, but loopback only: the fakes are on 127.0.0.1.
  const fetch = pinnedFetch({ reach: 'loopback' });
  const host = mediaHost(settings, fetch);
  const deps = (over: Partial<PublisherDeps> = {}): PublisherDeps => ({
    posts,
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
  const tick = (over?: Partial<PublisherDeps>) => tickPublisher(deps(over));
  return {
    get posts() {
      return posts;
    },
    resetPosts() {
      if (opts.posts)
        throw new Error('resetPosts empties the in-memory posts; this pipeline was given its own');
      posts = new InMemoryPostRepository(600);
    },
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
