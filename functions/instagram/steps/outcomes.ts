import { CarrierError } from '../../errors.ts';
import { MediaError } from '../../media/errors.ts';
import { StoreError } from '../../ports/sql-errors.ts';
import { GraphError, InstagramError, type FailureKind } from '../errors.ts';
import type { Post } from '../post.ts';
import type { AdvanceInput, WaitInput } from '../post-repository.ts';
import type { InstagramAccount } from '../settings.ts';
import type { StepContext, StepResult } from './context.ts';

const HOUR_MS = 3_600_000;

/** Persists a transition; the post continues when it held, and stops (lost) when it did not. */
export async function advance(ctx: StepContext, post: Post, input: AdvanceInput): Promise<StepResult> {
  const moved = await ctx.posts.advance(post.id, ctx.owner, ctx.now(), input);
  if (!moved) return lost(ctx, post);
  if (input.from !== input.to) ctx.report.transitions++;
  return moved;
}

/** Leaves the post waiting in its state until `until`, lease given back. */
export async function wait(
  ctx: StepContext,
  post: Post,
  input: Omit<WaitInput, 'state'>,
): Promise<undefined> {
  const waiting = await ctx.posts.wait(post.id, ctx.owner, ctx.now(), { state: post.state, ...input });
  if (!waiting) return lost(ctx, post);
  ctx.report.waiting.push({
    id: post.id,
    state: waiting.state,
    until: waiting.nextAttemptAt.toISOString(),
    reason: waiting.reason,
  });
  return undefined;
}

export async function fail(
  ctx: StepContext,
  post: Post,
  reason: string,
  kind: FailureKind,
  graph?: { code?: number; subcode?: number },
): Promise<undefined> {
  const failed = await ctx.posts.fail(post.id, ctx.owner, ctx.now(), {
    from: post.state,
    reason,
    errorKind: kind === 'unknown_outcome' ? 'retry' : kind,
    ...(graph?.code !== undefined ? { errorCode: graph.code } : {}),
    ...(graph?.subcode !== undefined ? { errorSubcode: graph.subcode } : {}),
  });
  if (!failed) return lost(ctx, post);
  ctx.report.failed.push({ id: post.id, character: post.characterId, reason });
  ctx.log.warn('post failed', { postId: post.id, character: post.characterId, reason });
  return undefined;
}

export function lost(ctx: StepContext, post: Post): undefined {
  ctx.report.lost.push(post.id);
  ctx.log.warn('post taken over or cancelled while this scheduler worked on it', { postId: post.id });
  return undefined;
}

/** When to try a step again after `attempts` retryable failures: doubling, capped at an hour. */
export function backoff(ctx: StepContext, attempts: number): Date {
  const ms = Math.min(ctx.limits.backoffSeconds * 1000 * 2 ** attempts, HOUR_MS);
  return new Date(+ctx.now() + ms);
}

/**
 * Decides what a failed step means for the post: retryable errors wait with backoff until the
 * attempts run out, errors a person must fix fail the post with the reason, and a refused token
 * parks the post (no attempt spent) until the token is replaced. A post in `publishing` never
 * fails: it may already be on Instagram, so it waits there until its container's status says
 * what happened. Errors that are not Carrier's (a bug, the database gone) are recorded as a retry
 * if the store still answers, and otherwise end the tick: nothing more can be persisted.
 */
export async function handleFailure(
  ctx: StepContext,
  post: Post,
  error: unknown,
  account?: InstagramAccount,
): Promise<undefined> {
  const { kind, message, graph } = classify(error);
  if (!(error instanceof CarrierError)) {
    ctx.log.error('unexpected error in the publisher', { postId: post.id, error: message });
  }
  if (post.state === 'publishing' && kind !== 'reauth') return keepPublishing(ctx, post, message, graph);
  if (kind === 'fix_input') {
    const reason = isConfiguration(error)
      ? `${message}; once that is fixed, run \`carrier posts retry ${post.id}\``
      : message;
    return fail(ctx, post, reason, kind, graph);
  }
  if (kind === 'reauth') {
    if (account) ctx.refusedAccounts.add(account.accountId);
    const reason = `${message}; set a new token in ${account?.tokenKey ?? 'INSTAGRAM_ACCESS_TOKEN'}: the post continues by itself once Meta accepts it`;
    ctx.report.warnings.push(`${post.characterId}: ${reason}`);
    return wait(ctx, post, {
      until: new Date(+ctx.now() + HOUR_MS),
      reason,
      errorKind: 'reauth',
      ...(graph?.code !== undefined ? { errorCode: graph.code } : {}),
      ...(graph?.subcode !== undefined ? { errorSubcode: graph.subcode } : {}),
    });
  }
  if (post.attempts + 1 >= ctx.limits.maxAttempts) {
    return fail(ctx, post, `gave up after ${post.attempts + 1} attempts: ${message}`, 'retry', graph);
  }
  return wait(ctx, post, {
    until: backoff(ctx, post.attempts),
    reason: `${message} (attempt ${post.attempts + 1} of ${ctx.limits.maxAttempts}; will retry)`,
    errorKind: 'retry',
    countAttempt: true,
    ...(graph?.code !== undefined ? { errorCode: graph.code } : {}),
    ...(graph?.subcode !== undefined ? { errorSubcode: graph.subcode } : {}),
  });
}

/**
 * Leaves a post in `publishing` whose outcome could not be learnt this time. Failing it would give
 * its quota slot back and let `posts retry` start it again: a second publish if Meta had acted.
 * The wait grows with each attempt (capped at an hour) and never runs out.
 */
function keepPublishing(
  ctx: StepContext,
  post: Post,
  message: string,
  graph?: { code?: number; subcode?: number },
): Promise<undefined> {
  const until = backoff(ctx, post.attempts);
  return wait(ctx, post, {
    until,
    reason: `the publish may already be on Instagram and its outcome is not known yet (${message}); the container's status is read again at ${until.toISOString()} (check ${post.attempts + 1}), and the post is published again only if Instagram says it was not`,
    errorKind: 'unknown_outcome',
    countAttempt: true,
    ...(graph?.code !== undefined ? { errorCode: graph.code } : {}),
    ...(graph?.subcode !== undefined ? { errorSubcode: graph.subcode } : {}),
  });
}

/**
 * A CarrierError from outside the pipeline is, by that base's contract, one a person fixes: a
 * missing model key, an unknown character, a bad character file. Waiting does not fix it, so it
 * is not retried. The store is the exception: an unreachable database may come back.
 */
function isConfiguration(error: unknown): boolean {
  return (
    error instanceof CarrierError &&
    !(error instanceof InstagramError) &&
    !(error instanceof MediaError) &&
    !(error instanceof StoreError)
  );
}

function classify(error: unknown): {
  kind: Exclude<FailureKind, 'unknown_outcome'>;
  message: string;
  graph?: { code?: number; subcode?: number };
} {
  if (error instanceof GraphError) {
    return {
      kind: error.kind === 'unknown_outcome' ? 'retry' : error.kind,
      message: error.message,
      graph: {
        ...(error.graph.code !== undefined ? { code: error.graph.code } : {}),
        ...(error.graph.subcode !== undefined ? { subcode: error.graph.subcode } : {}),
      },
    };
  }
  if (error instanceof InstagramError) {
    return { kind: error.kind === 'unknown_outcome' ? 'retry' : error.kind, message: error.message };
  }
  if (error instanceof MediaError)
    return { kind: error.retryable ? 'retry' : 'fix_input', message: error.message };
  if (error instanceof CarrierError) {
    return { kind: isConfiguration(error) ? 'fix_input' : 'retry', message: error.message };
  }
  const e = error instanceof Error ? error : new Error(String(error));
  return { kind: 'retry', message: `unexpected error: ${e.name}: ${e.message}` };
}
