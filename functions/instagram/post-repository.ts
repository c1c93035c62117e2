import type { ErrorKind, Post, PostKind, PostMedia, PostState, ReelOptions } from './post.ts';

export interface TokenRecord {
  accountId: string;
  tokenSha256: string | null;
  tokenSeenAt: Date | null;
  tokenRefreshedAt: Date | null;
  tokenExpiresAt: Date | null;
}

export interface CreatePostInput {
  characterId: string;
  kind: PostKind;
  media: PostMedia[];
  scheduledAt: Date;
  caption?: string;
  captionPrompt?: string;
  options?: ReelOptions;
  idempotencyKey?: string;
  /**
   * Whose key it is: keys are unique per scope. The caller's API key id for now; the tenant id
   * once API keys belong to tenants. Default '' (the CLI's posts).
   */
  idempotencyScope?: string;
  /** SHA-256 of the request, kept with the key (see requestSha256 in api/idempotency-key.ts). */
  requestSha256?: string;
}

export interface AdvanceInput {
  from: PostState;
  to: PostState;
  media?: PostMedia[];
  caption?: string;
  accountId?: string;
  children?: string[];
  containerId?: string;
  /** Forget the containers (they expired) so new ones are made. */
  clearContainer?: boolean;
  reason?: string;
}

export interface WaitInput {
  state: PostState;
  until: Date;
  reason?: string;
  errorKind?: ErrorKind;
  errorCode?: number;
  errorSubcode?: number;
  /** A retryable failure: counts toward giving up. */
  countAttempt?: boolean;
  /** A container status poll that said "not yet". */
  countPoll?: boolean;
}

export interface FailInput {
  from: PostState;
  reason: string;
  errorKind: ErrorKind;
  errorCode?: number;
  errorSubcode?: number;
}

export type BeginPublishOutcome =
  | { outcome: 'reserved'; used: number; quotaTotal: number; post: Post }
  | { outcome: 'quota_full'; used: number; quotaTotal: number; nextSlotAt: Date; post: Post }
  | { outcome: 'lost' };

/**
 * The posts queue and its state machine, with the publish log (rolling quota) and the token
 * records. Writes made by a scheduler pass its lease owner and return `undefined` when the lease
 * or the expected state no longer holds. Implemented by adapters/store/posts.ts.
 */
export interface PostRepository {
  /** How long a claim or a transition keeps the post leased, in seconds. */
  readonly leaseSeconds: number;
  create(input: CreatePostInput): Promise<Post>;
  get(id: string): Promise<Post | undefined>;
  list(filter?: {
    characterId?: string;
    state?: PostState;
    limit?: number;
    offset?: number;
  }): Promise<Post[]>;
  cancel(
    id: string,
    now: Date,
  ): Promise<{
    outcome: 'cancelled' | 'not_cancellable' | 'not_found';
    post?: Post;
  }>;
  /** `publish_attempted`: the post failed after media_publish may have reached Meta; it is not restarted. */
  retry(
    id: string,
    now: Date,
  ): Promise<{
    outcome: 'retrying' | 'publish_attempted' | 'not_retryable' | 'not_found';
    post?: Post;
  }>;
  /**
   * Claims due posts with a lease. A post whose last `maxClaims` claims all died comes back
   * failed, with the reason, instead of claimed.
   */
  claim(owner: string, limit: number, now: Date, maxClaims?: number): Promise<Post[]>;
  advance(id: string, owner: string, now: Date, input: AdvanceInput): Promise<Post | undefined>;
  wait(id: string, owner: string, now: Date, input: WaitInput): Promise<Post | undefined>;
  fail(id: string, owner: string, now: Date, input: FailInput): Promise<Post | undefined>;
  beginPublish(
    id: string,
    owner: string,
    now: Date,
    quota: {
      accountId: string;
      total: number;
      windowSeconds: number;
      liveUsage?: number;
    },
  ): Promise<BeginPublishOutcome>;
  published(
    id: string,
    owner: string,
    now: Date,
    result: {
      mediaId?: string;
      permalink?: string;
      reason?: string;
    },
  ): Promise<Post | undefined>;
  setPermalink(id: string, permalink: string, now: Date): Promise<void>;
  /** The media ids among `mediaIds` that some post has already recorded. */
  knownMedia(mediaIds: string[]): Promise<Set<string>>;
  quotaUsed(
    accountId: string,
    windowSeconds: number,
    now: Date,
  ): Promise<{
    published: number;
    inflight: number;
    oldest: Date | null;
  }>;
  tokenSeen(
    accountId: string,
    tokenSha256: string,
    assumedLifetimeSeconds: number,
    now: Date,
  ): Promise<TokenRecord>;
  tokenRefreshed(accountId: string, tokenSha256: string, expiresAt: Date, now: Date): Promise<TokenRecord>;
}
