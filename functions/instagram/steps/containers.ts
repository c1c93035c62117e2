import type { InstagramGraph } from '../graph.ts';
import type { Post, PostMedia } from '../post.ts';
import type { InstagramAccount } from '../settings.ts';
import type { StepContext, StepResult } from './context.ts';
import { advance, fail, wait } from './outcomes.ts';

type Params = Record<string, string | number | boolean | undefined>;

/** The container parameters for a post that is not a carousel. */
export function containerParams(post: Post): Params {
  const item = post.media[0]!;
  const caption = post.caption ?? undefined;
  if (post.kind === 'reel') {
    return {
      media_type: 'REELS',
      video_url: item.url,
      caption,
      share_to_feed: post.options.shareToFeed,
      cover_url: post.options.coverUrl,
      thumb_offset: post.options.thumbOffset,
    };
  }
  if (post.kind === 'story') {
    return item.type === 'video'
      ? { media_type: 'STORIES', video_url: item.url }
      : { media_type: 'STORIES', image_url: item.url };
  }
  return { image_url: item.url, caption };
}

function childParams(item: PostMedia): Params {
  return item.type === 'video'
    ? { media_type: 'VIDEO', video_url: item.url, is_carousel_item: true }
    : { image_url: item.url, is_carousel_item: true };
}

/**
 * media_hosted → container_created. A carousel first makes one container per item, each recorded
 * as soon as Meta returns its id (a crash then remakes at most the one item whose id was not
 * recorded yet), waits across ticks until they are all FINISHED, then makes the carousel container.
 */
export async function createContainer(
  ctx: StepContext,
  post: Post,
  account: InstagramAccount,
  graph: InstagramGraph,
): Promise<StepResult> {
  if (post.kind !== 'carousel') {
    const containerId = await graph.createContainer(containerParams(post));
    return advance(ctx, post, {
      from: 'media_hosted',
      to: 'container_created',
      containerId,
      accountId: account.accountId,
    });
  }
  let current = post;
  // Resumes where a crash stopped: items whose container is recorded are not made again.
  while ((current.children?.length ?? 0) < current.media.length) {
    const made = current.children ?? [];
    const child = await graph.createContainer(childParams(current.media[made.length]!));
    const next = await advance(ctx, current, {
      from: 'media_hosted',
      to: 'media_hosted',
      children: [...made, child],
      accountId: account.accountId,
    });
    if (!next) return undefined;
    current = next;
  }
  const statuses = await Promise.all(current.children!.map((id) => graph.containerStatus(id)));
  const broken = statuses.findIndex((s) => s.statusCode === 'ERROR');
  if (broken >= 0) {
    return fail(
      ctx,
      current,
      `Instagram could not process carousel item ${broken + 1} (${current.media[broken]?.source}): ${statuses[broken]!.status ?? 'ERROR'}; replace that item`,
      'fix_input',
    );
  }
  if (statuses.some((s) => s.statusCode === 'EXPIRED')) {
    return advance(ctx, current, { from: 'media_hosted', to: 'media_hosted', clearContainer: true });
  }
  const ready = statuses.filter((s) => s.statusCode === 'FINISHED').length;
  if (ready < statuses.length)
    return pollLater(ctx, current, `carousel items ready: ${ready} of ${statuses.length}`);
  const containerId = await graph.createContainer({
    media_type: 'CAROUSEL',
    children: current.children!.join(','),
    caption: current.caption ?? undefined,
  });
  return advance(ctx, current, { from: 'media_hosted', to: 'container_created', containerId });
}

/** container_created → container_ready once Meta says FINISHED; otherwise looked at again next tick. */
export async function pollContainer(
  ctx: StepContext,
  post: Post,
  graph: InstagramGraph,
): Promise<StepResult> {
  const status = await graph.containerStatus(post.containerId!);
  switch (status.statusCode) {
    case 'FINISHED':
      return advance(ctx, post, { from: 'container_created', to: 'container_ready' });
    case 'IN_PROGRESS':
      return pollLater(ctx, post, 'Instagram is processing the media');
    case 'EXPIRED':
      return advance(ctx, post, { from: 'container_created', to: 'media_hosted', clearContainer: true });
    case 'ERROR':
      return fail(
        ctx,
        post,
        `Instagram could not process the media (container status ERROR${status.status ? `: ${status.status}` : ''}); check the media against Instagram's format rules`,
        'fix_input',
      );
    case 'PUBLISHED':
      return fail(ctx, post, 'the container is already published, but not by this post', 'fix_input');
  }
}

/** Waits for Meta's processing without sleeping: the next tick polls again, until maxPolls. */
export async function pollLater(ctx: StepContext, post: Post, what: string): Promise<undefined> {
  if (post.polls + 1 >= ctx.limits.maxPolls) {
    return fail(
      ctx,
      post,
      `Instagram did not finish processing the media after ${post.polls + 1} status checks; try a smaller or shorter file`,
      'retry',
    );
  }
  return wait(ctx, post, {
    until: new Date(+ctx.now() + ctx.limits.pollSeconds * 1000),
    reason: `${what} (status check ${post.polls + 1})`,
    countPoll: true,
  });
}
