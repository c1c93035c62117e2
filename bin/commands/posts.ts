import { resolve } from 'node:path';
import { SqlPostRepository } from '#core/adapters/store/posts.ts';
import type { Command } from 'commander';
import { loadCharacter } from '#core/characters/load.ts';
import { loadSettings } from '#core/wiring/settings.ts';
import { ConfigError } from '#core/errors.ts';
import { publisherEnv } from '#core/wiring/instagram-parts.ts';
import { publisherDeps } from '#core/wiring/publisher.ts';
import { tokenRefreshDeps } from '#core/wiring/token-refresh.ts';
import { InstagramError } from '#core/instagram/errors.ts';
import { toCreateInput } from '#core/instagram/new-post.ts';
import {
  inferKind,
  isUrl,
  newPostSchema,
  POST_KINDS,
  POST_STATES,
  type PostState,
} from '#core/instagram/post.ts';
import type { PostRepository } from '#core/instagram/post-repository.ts';
import { postView } from '#core/instagram/post-view.ts';
import { details, line } from './posts-format.ts';
import { parseInstagramSettings } from '#core/instagram/settings.ts';
import { tickPublisher } from '#core/instagram/tick.ts';
import { refreshTokens } from '#core/instagram/token-refresh.ts';
import { prepareMedia } from '#core/media/prepare.ts';
import { withStore } from './with-store.ts';
import { action } from '../cli-errors.ts';

interface AddOptions {
  media: string[];
  caption?: string;
  captionPrompt?: string;
  kind?: (typeof POST_KINDS)[number];
  at?: string;
  shareToFeed?: boolean;
  coverUrl?: string;
  thumbOffset?: string;
}

const MAX_LIST = 1000;

/**
 * How far behind now `--at` may be and still mean "now": a time written a moment before the
 * command ran, or a clock a little behind. Further back is a mistake (a wrong year, a typo) that
 * would publish at once, unannounced; the schedules API refuses a past `at` for the same reason.
 */
const CLOCK_SKEW_MS = 60_000;

/** Refuses an `--at` more than CLOCK_SKEW_MS before `now`. */
function checkNotPast(at: string | undefined, now: Date): void {
  if (at !== undefined && new Date(at).getTime() < now.getTime() - CLOCK_SKEW_MS) {
    throw new InstagramError(
      `--at ${at} is in the past (it is ${now.toISOString()} now); give a later time, or leave --at out to publish now`,
      'fix_input',
    );
  }
}

/** A numeric flag, checked before it reaches SQL (Number('abc') would send NaN). */
function wholeNumber(flag: string, value: string, max: number, min = 1): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `${min} or more` : `from ${min} to ${max}`;
    throw new InstagramError(`${flag} ${value}: expected a whole number ${range}`, 'fix_input');
  }
  return n;
}

/** `carrier posts …`: the subcommands of the `posts` command. */
export function register(posts: Command): void {
  posts
    .command('add')
    .description('queue a post; local media are checked now, so mistakes show before the schedule')
    .argument('<character>', 'the character that posts')
    .requiredOption('-m, --media <path|url...>', 'image or video files or URLs (2 to 10 make a carousel)')
    .option('-c, --caption <text>', 'the caption as written')
    .option(
      '-p, --caption-prompt <text>',
      'what to write about: the character writes the caption when it publishes',
    )
    .option('-k, --kind <kind>', `${POST_KINDS.join(' | ')} (default: from the media)`)
    .option('-a, --at <iso-8601>', 'when to publish, e.g. 2030-01-31T09:00:00Z (default: now)')
    .option('--share-to-feed', 'reels: also show the reel in the feed')
    .option('--cover-url <url>', 'reels: the cover image URL')
    .option('--thumb-offset <ms>', 'reels: the cover frame, in milliseconds')
    .action(
      action(async (character: string, options: AddOptions) => {
        await loadCharacter(character);
        const parsed = newPostSchema.safeParse({
          character,
          media: options.media.map((m) => (isUrl(m) ? m : resolve(m))),
          ...(options.caption !== undefined ? { caption: options.caption } : {}),
          ...(options.captionPrompt !== undefined ? { captionPrompt: options.captionPrompt } : {}),
          ...(options.kind ? { kind: options.kind } : {}),
          ...(options.at ? { at: options.at } : {}),
          ...(options.shareToFeed ? { shareToFeed: true } : {}),
          ...(options.coverUrl ? { coverUrl: options.coverUrl } : {}),
          ...(options.thumbOffset !== undefined
            ? { thumbOffset: wholeNumber('--thumb-offset', options.thumbOffset, Number.MAX_SAFE_INTEGER, 0) }
            : {}),
        });
        if (!parsed.success) {
          throw new ConfigError(
            parsed.error.issues.map((i) => ({
              file: 'posts add',
              path: optionName(i.path),
              message: i.message,
            })),
          );
        }
        checkNotPast(parsed.data.at, new Date());
        const kind = parsed.data.kind ?? inferKind(parsed.data.media);
        for (const source of parsed.data.media.filter((m) => !isUrl(m))) await prepareMedia(source, kind);
        await withPosts(async (store) => {
          const post = await store.create(toCreateInput(parsed.data, new Date()));
          process.stdout.write(`${post.id}\n`);
          process.stderr.write(
            `queued ${post.kind} for ${post.characterId} at ${post.scheduledAt.toISOString()}\n`,
          );
        });
      }),
    );

  posts
    .command('list')
    .description('list posts, newest schedule first')
    .option('--character <id>', 'only this character')
    .option('--state <state>', `only this state: ${POST_STATES.join(', ')}`)
    .option('--limit <n>', `at most this many (1 to ${MAX_LIST})`, '50')
    .option('--json', 'print JSON')
    .action(
      action(async (options: { character?: string; state?: string; limit: string; json?: boolean }) => {
        if (options.state && !(POST_STATES as readonly string[]).includes(options.state)) {
          throw new InstagramError(
            `unknown state "${options.state}"; states: ${POST_STATES.join(', ')}`,
            'fix_input',
          );
        }
        await withPosts(async (store) => {
          const list = (
            await store.list({
              limit: wholeNumber('--limit', options.limit, MAX_LIST),
              ...(options.character ? { characterId: options.character } : {}),
              ...(options.state ? { state: options.state as PostState } : {}),
            })
          ).map(postView);
          if (options.json) process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
          else for (const post of list) process.stdout.write(`${line(post)}\n`);
        });
      }),
    );

  posts
    .command('show')
    .description('show one post, with why it waits or failed')
    .argument('<id>')
    .option('--json', 'print JSON')
    .action(
      action(async (id: string, options: { json?: boolean }) => {
        await withPosts(async (store) => {
          const post = await store.get(id);
          if (!post) throw new InstagramError(`no post ${id}; see \`carrier posts list\``, 'fix_input');
          const view = postView(post);
          process.stdout.write(options.json ? `${JSON.stringify(view, null, 2)}\n` : details(view));
        });
      }),
    );

  posts
    .command('cancel')
    .description('cancel a post that has not started publishing')
    .argument('<id>')
    .action(
      action(async (id: string) => {
        await withPosts(async (store) => {
          const { outcome, post } = await store.cancel(id, new Date());
          if (outcome === 'not_found')
            throw new InstagramError(`no post ${id}; see \`carrier posts list\``, 'fix_input');
          if (outcome === 'not_cancellable') {
            throw new InstagramError(
              `post ${id} is ${post?.state}; only posts not yet publishing can be cancelled`,
              'fix_input',
            );
          }
          process.stderr.write(`cancelled ${id}\n`);
        });
      }),
    );

  posts
    .command('retry')
    .description(
      'retry a failed post from the start (unless its publish was attempted), or make a waiting post due now',
    )
    .argument('<id>')
    .action(
      action(async (id: string) => {
        await withPosts(async (store) => {
          const { outcome, post } = await store.retry(id, new Date());
          if (outcome === 'not_found')
            throw new InstagramError(`no post ${id}; see \`carrier posts list\``, 'fix_input');
          if (outcome === 'publish_attempted') {
            throw new InstagramError(
              `post ${id} failed after it was sent to Instagram for publishing at ${post?.publishingStartedAt?.toISOString()}, so retrying could publish it twice: look at the account's profile on Instagram, and if the post is not there, add it again with \`carrier posts add\``,
              'fix_input',
            );
          }
          if (outcome === 'not_retryable') {
            throw new InstagramError(
              `post ${id} is ${post?.state}${post?.leaseOwner ? ' and a scheduler is working on it' : ''}; nothing to retry`,
              'fix_input',
            );
          }
          process.stderr.write(
            `post ${id} is due now (${post?.state}); run \`carrier posts tick\` or wait for the scheduler\n`,
          );
        });
      }),
    );

  posts
    .command('tick')
    .description('run the publisher once: move due posts as far as they can go now')
    .option('--refresh-token', 'also run the daily token refresh')
    .action(
      action(async (options: { refreshToken?: boolean }) => {
        const settings = await loadSettings();
        const instagram = parseInstagramSettings(await publisherEnv(settings));
        await withStore(async (store) => {
          if (options.refreshToken) {
            const tokens = await refreshTokens(tokenRefreshDeps({ store, settings, instagram }));
            for (const t of tokens.refreshed)
              process.stderr.write(`refreshed ${t.tokenKey} until ${t.expiresAt}\n`);
            for (const t of tokens.expiring) process.stderr.write(`WARNING: ${t.message}\n`);
          }
          const report = await tickPublisher(publisherDeps({ store, settings, instagram }));
          process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        }, settings);
      }),
    );
}

/** Maps a schema path back to the option a person typed. */
function optionName(path: PropertyKey[]): string {
  const [head, index] = path;
  const flags: Record<string, string> = {
    media: '--media',
    captionPrompt: '--caption-prompt',
    shareToFeed: '--share-to-feed',
    coverUrl: '--cover-url',
    thumbOffset: '--thumb-offset',
  };
  const name = flags[String(head)] ?? `--${String(head)}`;
  return index === undefined ? name : `${name} #${Number(index) + 1}`;
}

async function withPosts(fn: (posts: PostRepository) => Promise<void>): Promise<void> {
  await withStore((store) => fn(new SqlPostRepository(store)));
}
