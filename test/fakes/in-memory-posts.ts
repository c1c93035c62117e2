import { randomUUID } from 'node:crypto';
import { ACTIVE_STATES, type Post, type PostState } from '#core/instagram/post.ts';
import type {
  AdvanceInput,
  BeginPublishOutcome,
  CreatePostInput,
  FailInput,
  PostRepository,
  TokenRecord,
  WaitInput,
} from '#core/instagram/post-repository.ts';
import { asJsonb, StoreClock } from './store-clock.ts';
import { InMemoryPublishLog, InMemoryTokenRecords } from './in-memory-publish-log.ts';

const CANCELLABLE: readonly PostState[] = [
  'scheduled',
  'media_hosted',
  'container_created',
  'container_ready',
];
const NO_ERROR = { errorKind: null, errorCode: null, errorSubcode: null } as const;
const NO_LEASE = { leaseOwner: null, leaseUntil: null } as const;
const byId = (a: Post, b: Post) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * The posts queue in Maps, with the semantics of its SQL functions (migrations 0020–0024): the
 * state machine whose writes need the caller's live lease and the expected state, the publish
 * log behind the rolling quota, and the token records. Each method runs without awaiting in
 * between, so it is as atomic as one SQL function. test/store/posts-contract.test.ts runs the
 * same tests against it and the SQL adapters.
 *
 * @example
 * const posts = new InMemoryPostRepository(60);
 * const [post] = await posts.claim('tick-1', 10, new Date());
 */
export class InMemoryPostRepository implements PostRepository {
  private readonly posts = new Map<string, Post>();
  private readonly log = new InMemoryPublishLog();
  private readonly tokens = new InMemoryTokenRecords();
  private readonly clock: StoreClock;
  private readonly scopes = new Map<string, string>();

  constructor(
    readonly leaseSeconds = 300,
    options: { now?: () => Date } = {},
  ) {
    this.clock = new StoreClock(options.now);
  }

  async create(input: CreatePostInput): Promise<Post> {
    // Keys are unique per scope (the caller), as post_create's unique index has them.
    const scope = input.idempotencyScope ?? '';
    const same = [...this.posts.values()].find(
      (p) =>
        input.idempotencyKey !== undefined &&
        p.idempotencyKey === input.idempotencyKey &&
        this.scopes.get(p.id) === scope,
    );
    if (same) return structuredClone(same);
    const now = new Date(this.clock.tick());
    const post: Post = {
      id: randomUUID(),
      characterId: input.characterId,
      kind: input.kind,
      media: asJsonb(input.media),
      caption: input.caption ?? null,
      captionPrompt: input.captionPrompt ?? null,
      options: asJsonb(input.options ?? {}),
      state: 'scheduled',
      scheduledAt: new Date(input.scheduledAt),
      nextAttemptAt: new Date(input.scheduledAt),
      attempts: 0,
      polls: 0,
      ...NO_LEASE,
      accountId: null,
      children: null,
      containerId: null,
      containerCreatedAt: null,
      publishingStartedAt: null,
      mediaId: null,
      permalink: null,
      reason: null,
      ...NO_ERROR,
      idempotencyKey: input.idempotencyKey ?? null,
      requestSha256: input.requestSha256 ?? null,
      createdAt: now,
      updatedAt: now,
      publishedAt: null,
    };
    this.posts.set(post.id, post);
    this.scopes.set(post.id, scope);
    return structuredClone(post);
  }

  async get(id: string): Promise<Post | undefined> {
    const post = this.posts.get(id);
    return post && structuredClone(post);
  }

  async list(filter: { characterId?: string; state?: PostState; limit?: number; offset?: number } = {}) {
    const offset = filter.offset ?? 0;
    return [...this.posts.values()]
      .filter((p) => (filter.characterId ?? p.characterId) === p.characterId)
      .filter((p) => (filter.state ?? p.state) === p.state)
      .sort((a, b) => +b.scheduledAt - +a.scheduledAt || +b.createdAt - +a.createdAt || byId(a, b))
      .slice(offset, offset + (filter.limit ?? 50))
      .map((p) => structuredClone(p));
  }

  async cancel(id: string, now: Date) {
    const post = this.posts.get(id);
    if (!post) return { outcome: 'not_found' as const };
    if (!CANCELLABLE.includes(post.state))
      return { outcome: 'not_cancellable' as const, post: structuredClone(post) };
    Object.assign(post, { state: 'cancelled', ...NO_LEASE, ...NO_ERROR, updatedAt: now });
    post.reason = 'cancelled before publishing';
    return { outcome: 'cancelled' as const, post: structuredClone(post) };
  }

  async retry(id: string, now: Date) {
    const post = this.posts.get(id);
    if (!post) return { outcome: 'not_found' as const };
    if (post.state === 'failed' && post.publishingStartedAt === null) {
      Object.assign(post, {
        state: 'scheduled',
        nextAttemptAt: now,
        attempts: 0,
        polls: 0,
        children: null,
        containerId: null,
        containerCreatedAt: null,
        publishingStartedAt: null,
        reason: null,
        ...NO_ERROR,
        ...NO_LEASE,
        updatedAt: now,
      });
    } else if (ACTIVE_STATES.includes(post.state) && (!post.leaseUntil || +post.leaseUntil <= +now)) {
      Object.assign(post, { nextAttemptAt: now, attempts: 0, updatedAt: now });
    } else {
      const outcome = post.state === 'failed' ? ('publish_attempted' as const) : ('not_retryable' as const);
      return { outcome, post: structuredClone(post) };
    }
    return { outcome: 'retrying' as const, post: structuredClone(post) };
  }

  async claim(owner: string, limit: number, now: Date): Promise<Post[]> {
    return [...this.posts.values()]
      .filter((p) => ACTIVE_STATES.includes(p.state) && +p.nextAttemptAt <= +now)
      .filter((p) => !p.leaseUntil || +p.leaseUntil <= +now)
      .sort((a, b) => +a.nextAttemptAt - +b.nextAttemptAt || byId(a, b))
      .slice(0, limit)
      .map((p) =>
        structuredClone(
          Object.assign(p, { leaseOwner: owner, leaseUntil: this.leaseFrom(now), updatedAt: now }),
        ),
      );
  }

  async advance(id: string, owner: string, now: Date, input: AdvanceInput): Promise<Post | undefined> {
    const post = this.leased(id, owner, now, input.from);
    if (!post) return undefined;
    const clear = input.clearContainer ?? false;
    const newContainer = input.containerId !== undefined;
    const children = input.children ? asJsonb(input.children) : null;
    Object.assign(post, {
      state: input.to,
      media: input.media ? asJsonb(input.media) : post.media,
      caption: input.caption ?? post.caption,
      accountId: input.accountId ?? post.accountId,
      children: clear ? children : (children ?? post.children),
      containerId: clear ? (input.containerId ?? null) : (input.containerId ?? post.containerId),
      containerCreatedAt: clear ? null : newContainer ? now : post.containerCreatedAt,
      polls: newContainer || clear ? 0 : post.polls,
      attempts: input.to !== input.from ? 0 : post.attempts,
      reason: input.reason ?? null,
      ...NO_ERROR,
      leaseUntil: this.leaseFrom(now),
      updatedAt: now,
    });
    if (input.from === 'publishing' && input.to !== 'publishing') this.log.giveBack(id);
    return structuredClone(post);
  }

  async wait(id: string, owner: string, now: Date, input: WaitInput): Promise<Post | undefined> {
    const post = this.leased(id, owner, now, input.state);
    if (!post) return undefined;
    Object.assign(post, {
      nextAttemptAt: input.until,
      attempts: post.attempts + (input.countAttempt ? 1 : 0),
      polls: post.polls + (input.countPoll ? 1 : 0),
      reason: input.reason ?? null,
      errorKind: input.errorKind ?? null,
      errorCode: input.errorCode ?? null,
      errorSubcode: input.errorSubcode ?? null,
      ...NO_LEASE,
      updatedAt: now,
    });
    return structuredClone(post);
  }

  async fail(id: string, owner: string, now: Date, input: FailInput): Promise<Post | undefined> {
    const post = this.leased(id, owner, now, input.from);
    if (!post) return undefined;
    Object.assign(post, {
      state: 'failed',
      reason: input.reason,
      errorKind: input.errorKind,
      errorCode: input.errorCode ?? null,
      errorSubcode: input.errorSubcode ?? null,
      ...NO_LEASE,
      updatedAt: now,
    });
    this.log.giveBack(id);
    return structuredClone(post);
  }

  async beginPublish(
    id: string,
    owner: string,
    now: Date,
    quota: { accountId: string; total: number; windowSeconds: number; liveUsage?: number },
  ): Promise<BeginPublishOutcome> {
    this.tokens.account(quota.accountId);
    const wait = this.log.decide(quota.accountId, id, now, quota);
    const post = this.leased(id, owner, now, 'container_ready');
    if (!post) return { outcome: 'lost' };
    const common = { used: wait.used, quotaTotal: quota.total };
    if (wait.full) {
      Object.assign(post, { nextAttemptAt: wait.nextAttemptAt, reason: wait.reason, errorKind: 'quota' });
      Object.assign(post, { errorCode: null, errorSubcode: null, ...NO_LEASE, updatedAt: now });
      return { outcome: 'quota_full', ...common, nextSlotAt: wait.nextSlotAt, post: structuredClone(post) };
    }
    Object.assign(post, { state: 'publishing', publishingStartedAt: now, attempts: 0, reason: null });
    Object.assign(post, { ...NO_ERROR, leaseUntil: this.leaseFrom(now), updatedAt: now });
    this.log.reserve(id, quota.accountId, now);
    return { outcome: 'reserved', ...common, used: wait.used + 1, post: structuredClone(post) };
  }

  async published(
    id: string,
    owner: string,
    now: Date,
    result: { mediaId?: string; permalink?: string; reason?: string },
  ): Promise<Post | undefined> {
    const post = this.leased(id, owner, now, 'publishing');
    if (!post) return undefined;
    Object.assign(post, {
      state: 'published',
      mediaId: result.mediaId ?? null,
      permalink: result.permalink ?? null,
      publishedAt: now,
      reason: result.reason ?? null,
      ...NO_ERROR,
      ...NO_LEASE,
      updatedAt: now,
    });
    this.log.published(id, now, result.mediaId ?? null);
    return structuredClone(post);
  }

  async setPermalink(id: string, permalink: string, now: Date): Promise<void> {
    const post = this.posts.get(id);
    if (post?.state === 'published') Object.assign(post, { permalink, updatedAt: now });
  }

  async knownMedia(mediaIds: string[]): Promise<Set<string>> {
    return this.log.knownMedia(mediaIds);
  }

  async quotaUsed(accountId: string, windowSeconds: number, now: Date) {
    return this.log.used(accountId, windowSeconds, now);
  }

  async tokenSeen(accountId: string, tokenSha256: string, assumedLifetimeSeconds: number, now: Date) {
    return this.tokens.seen(accountId, tokenSha256, assumedLifetimeSeconds, now);
  }

  async tokenRefreshed(accountId: string, tokenSha256: string, expiresAt: Date, now: Date) {
    return this.tokens.refreshed(accountId, tokenSha256, expiresAt, now);
  }

  /** What is kept about each account's token, for tests that check what was written. */
  tokenRecords(): TokenRecord[] {
    return this.tokens.all();
  }

  /** The post if `owner` holds a live lease on it and it is in `state`. */
  private leased(id: string, owner: string, now: Date, state: PostState): Post | undefined {
    const post = this.posts.get(id);
    const live = post?.leaseUntil && +post.leaseUntil > +now;
    return post && post.state === state && post.leaseOwner === owner && live ? post : undefined;
  }

  private leaseFrom(now: Date): Date {
    return new Date(+now + this.leaseSeconds * 1000);
  }
}
