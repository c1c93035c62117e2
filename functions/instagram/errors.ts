import { CarrierError } from '../errors.ts';

/**
 * What to do about a failed Instagram step:
 * - `retry`: try again later (rate limits, Meta or network hiccups);
 * - `fix_input`: the media or the post is wrong; a person must change it;
 * - `reauth`: the access token is expired, revoked or lacks a permission;
 * - `unknown_outcome`: a write may or may not have happened (a publish that timed out); the
 *   scheduler reconciles from the container's status instead of sending it again.
 */
export type FailureKind = 'retry' | 'fix_input' | 'reauth' | 'unknown_outcome';

/** The base of every error in the Instagram pipeline: a kind that says what to do, and a message that says how. */
export class InstagramError extends CarrierError {
  override name = 'InstagramError';
  constructor(
    message: string,
    readonly kind: FailureKind,
    code = `instagram_${kind}`,
    options?: { cause?: unknown },
  ) {
    super(message, code, options);
  }
}

/** An error answer from the Graph API, with Meta's code and subcode kept for the post's reason. */
export class GraphError extends InstagramError {
  override name = 'GraphError';
  constructor(
    message: string,
    kind: FailureKind,
    readonly graph: { status: number; code?: number; subcode?: number; fbtraceId?: string },
    options?: { cause?: unknown },
  ) {
    super(message, kind, 'instagram_graph_error', options);
  }
}
