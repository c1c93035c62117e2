import { GraphError } from '../errors.ts';
import type { InstagramGraph } from '../graph.ts';
import type { RecentMedia } from '../graph.ts';
import {
  CONTAINER_GONE_CODES,
  CONTAINER_GONE_SUBCODES,
  isGraphCode,
  LIMIT_REACHED,
  NOT_READY,
} from '../graph-errors.ts';
import type { Post } from '../post.ts';
import type { InstagramAccount } from '../settings.ts';
import { pollLater } from './containers.ts';
import type { StepContext, StepResult } from './context.ts';
import { advance, fail, handleFailure, lost, wait } from './outcomes.ts';

/** Codes with which Meta clearly refused a publish (nothing was published): rate limits. */
const REFUSED_CODES = new Set([4, 17, 32, 341, 613]);

/**
 * container_ready → publishing: takes a quota slot under the account lock (waiting for the next
 * free slot when the rolling window is full), then publishes.
 */
export async function startPublish(
  ctx: StepContext,
  post: Post,
  account: InstagramAccount,
  graph: InstagramGraph,
): Promise<StepResult> {
  const age = post.containerCreatedAt ? (+ctx.now() - +post.containerCreatedAt) / 1000 : 0;
  if (age > ctx.limits.containerMaxAgeSeconds) {
    // Meta expires containers after 24 h; a post that waited that long for quota gets a new one.
    return advance(ctx, post, { from: 'container_ready', to: 'media_hosted', clearContainer: true });
  }
  const quota = await ctx.quota.read(account.accountId, graph, post.characterId);
  const decision = await ctx.posts.beginPublish(post.id, ctx.owner, ctx.now(), {
    accountId: account.accountId,
    total: quota.total,
    windowSeconds: quota.windowSeconds,
    ...(quota.usage !== undefined ? { liveUsage: quota.usage } : {}),
  });
  if (decision.outcome === 'lost') return lost(ctx, post);
  if (decision.outcome === 'quota_full') {
    ctx.report.waiting.push({
      id: post.id,
      state: decision.post.state,
      until: decision.post.nextAttemptAt.toISOString(),
      reason: decision.post.reason,
    });
    return undefined;
  }
  ctx.report.transitions++;
  return publish(ctx, decision.post, account, graph);
}

/**
 * Sends media_publish once for a post just moved to `publishing`. A clear refusal moves the post
 * back (the quota slot is given back with it); no answer leaves it in `publishing`, to be
 * reconciled from the container's status, never sent again blindly.
 */
export async function publish(
  ctx: StepContext,
  post: Post,
  account: InstagramAccount,
  graph: InstagramGraph,
): Promise<StepResult> {
  let mediaId: string;
  try {
    mediaId = await graph.publish(post.containerId!);
  } catch (error) {
    return afterRefusal(ctx, post, account, error);
  }
  ctx.quota.published(account.accountId);
  return recordPublished(ctx, post, graph, mediaId);
}

async function recordPublished(
  ctx: StepContext,
  post: Post,
  graph: InstagramGraph,
  mediaId: string | undefined,
  reason?: string,
): Promise<StepResult> {
  const done = await ctx.posts.published(post.id, ctx.owner, ctx.now(), {
    ...(mediaId ? { mediaId } : {}),
    ...(reason ? { reason } : {}),
  });
  if (!done) return lost(ctx, post);
  ctx.report.transitions++;
  // The permalink needs one more call; the publish is already safe in the store.
  const permalink = mediaId ? await graph.permalink(mediaId).catch(() => undefined) : undefined;
  if (permalink) await ctx.posts.setPermalink(post.id, permalink, ctx.now());
  ctx.report.published.push({
    id: post.id,
    character: post.characterId,
    mediaId: mediaId ?? null,
    permalink: permalink ?? null,
  });
  ctx.log.info('post published', { postId: post.id, character: post.characterId, mediaId });
  return undefined;
}

async function afterRefusal(
  ctx: StepContext,
  post: Post,
  account: InstagramAccount,
  error: unknown,
): Promise<StepResult> {
  const clearlyRefused =
    error instanceof GraphError &&
    error.kind !== 'unknown_outcome' &&
    (error.kind !== 'retry' ||
      isGraphCode(error, NOT_READY) ||
      isGraphCode(error, LIMIT_REACHED) ||
      (error.graph.code !== undefined && REFUSED_CODES.has(error.graph.code)) ||
      CONTAINER_GONE_SUBCODES.has(error.graph.subcode ?? 0) ||
      CONTAINER_GONE_CODES.has(error.graph.code ?? 0));
  if (!clearlyRefused) {
    // Meta may have published: read the container's status later instead of publishing again.
    return wait(ctx, post, {
      until: new Date(+ctx.now() + ctx.limits.reconcileSeconds * 1000),
      reason: `the publish got no clear answer (${(error as Error).message}); its container's status will tell whether it was published`,
      errorKind: 'unknown_outcome',
    });
  }
  if (isGraphCode(error, NOT_READY)) {
    const back = await advance(ctx, post, { from: 'publishing', to: 'container_created' });
    return back && pollLater(ctx, back, 'Instagram says the media is not ready for publishing yet');
  }
  if (
    CONTAINER_GONE_SUBCODES.has(error.graph.subcode ?? 0) ||
    CONTAINER_GONE_CODES.has(error.graph.code ?? 0)
  ) {
    return advance(ctx, post, { from: 'publishing', to: 'media_hosted', clearContainer: true });
  }
  const back = await advance(ctx, post, { from: 'publishing', to: 'container_ready' });
  if (!back) return undefined;
  if (isGraphCode(error, LIMIT_REACHED)) {
    ctx.quota.exhausted(account.accountId);
    return wait(ctx, back, {
      until: new Date(+ctx.now() + 3_600_000),
      reason: `Meta says the publishing limit is reached (${error.message}); trying again in an hour`,
      errorKind: 'quota',
    });
  }
  return handleFailure(ctx, back, error, account);
}

/**
 * A post found in `publishing` at claim time: an earlier run published, or tried to, and did not
 * record the outcome. The container's status decides: PUBLISHED → record it (finding the media
 * id among the account's latest media), FINISHED → it was not published: publish now.
 */
export async function reconcile(
  ctx: StepContext,
  post: Post,
  account: InstagramAccount,
  graph: InstagramGraph,
): Promise<StepResult> {
  const status = await graph.containerStatus(post.containerId!);
  switch (status.statusCode) {
    case 'PUBLISHED': {
      const recent = await graph.recentMedia().catch(() => []);
      const known = await ctx.posts.knownMedia(recent.map((m) => m.id));
      const media = findPublished(
        post,
        recent.filter((m) => !known.has(m.id)),
      );
      ctx.quota.published(account.accountId);
      return recordPublished(
        ctx,
        post,
        graph,
        media?.id,
        media
          ? 'published; recorded from the container status after the publish result was lost'
          : 'published (the container says so), but its media id could not be found among the latest media',
      );
    }
    case 'FINISHED':
      return publish(ctx, post, account, graph);
    case 'IN_PROGRESS': {
      const back = await advance(ctx, post, { from: 'publishing', to: 'container_created' });
      return back && pollLater(ctx, back, 'Instagram is processing the media');
    }
    case 'EXPIRED':
      return advance(ctx, post, { from: 'publishing', to: 'media_hosted', clearContainer: true });
    case 'ERROR':
      return fail(
        ctx,
        post,
        `Instagram could not publish the media (container status ERROR${status.status ? `: ${status.status}` : ''})`,
        'fix_input',
      );
  }
}

/**
 * The account's media that this post produced: same caption, published after the attempt began,
 * not recorded by another post. Only an unambiguous match counts; otherwise the id stays unknown.
 */
function findPublished(post: Post, recent: RecentMedia[]): RecentMedia | undefined {
  const since = +(post.publishingStartedAt ?? post.updatedAt) - 5 * 60_000;
  const candidates = recent.filter(
    (m) => (m.caption ?? '') === (post.caption ?? '') && (!m.timestamp || +new Date(m.timestamp) >= since),
  );
  return candidates.length === 1 ? candidates[0] : undefined;
}
