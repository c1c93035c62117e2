import type { SqlStore } from '../../ports/sql.ts';
import type { Post, PostState } from '../../instagram/post.ts';
import type {
  AdvanceInput,
  BeginPublishOutcome,
  CreatePostInput,
  FailInput,
  PostRepository,
  WaitInput,
} from '../../instagram/post-repository.ts';
import { asRow, only, toDate, toPost, toTokenRecord } from './post-row.ts';

/**
 * The posts repository: every call is one SQL function from migrations 0020–0025, so it runs
 * the same on PGlite, Postgres and Supabase RPC. Writes made by a scheduler pass its lease owner
 * and return `undefined` when the lease or the expected state no longer holds.
 *
 * @example
 * const posts = new SqlPostRepository(store, 60);
 * const [post] = await posts.claim('tick-1', 10, new Date());
 */
export class SqlPostRepository implements PostRepository {
  constructor(
    private readonly sql: SqlStore,
    /** How long a claim or a transition keeps the post leased, in seconds. */
    readonly leaseSeconds = 300,
  ) {}

  async create(input: CreatePostInput): Promise<Post> {
    const rows = await this.sql.rpc('post_create', {
      p_character_id: input.characterId,
      p_kind: input.kind,
      p_media: JSON.stringify(input.media),
      p_scheduled_at: input.scheduledAt,
      p_caption: input.caption,
      p_caption_prompt: input.captionPrompt,
      p_options: JSON.stringify(input.options ?? {}),
      p_idempotency_key: input.idempotencyKey,
      p_idempotency_scope: input.idempotencyScope ?? '',
      p_request_sha256: input.requestSha256,
    });
    return toPost(only(rows, 'post_create'));
  }

  async get(id: string): Promise<Post | undefined> {
    const [row] = await this.sql.rpc('post_get', { p_id: id });
    return row ? toPost(row) : undefined;
  }

  async list(filter: { characterId?: string; state?: PostState; limit?: number; offset?: number } = {}) {
    const rows = await this.sql.rpc('post_list', {
      p_character_id: filter.characterId,
      p_state: filter.state,
      p_limit: filter.limit ?? 50,
      p_offset: filter.offset ?? 0,
    });
    return rows.map(toPost);
  }

  async cancel(id: string, now: Date) {
    return this.outcome('post_cancel', id, now) as Promise<{
      outcome: 'cancelled' | 'not_cancellable' | 'not_found';
      post?: Post;
    }>;
  }

  /** `publish_attempted`: the post failed after media_publish may have reached Meta; it is not restarted. */
  async retry(id: string, now: Date) {
    return this.outcome('post_retry', id, now) as Promise<{
      outcome: 'retrying' | 'publish_attempted' | 'not_retryable' | 'not_found';
      post?: Post;
    }>;
  }

  /**
   * Claims due posts with a lease. A post whose last `maxClaims` claims all died (crash, timeout,
   * out of memory) comes back failed, with the reason, instead of claimed.
   */
  async claim(owner: string, limit: number, now: Date, maxClaims = 5): Promise<Post[]> {
    const rows = await this.sql.rpc('post_claim', {
      p_owner: owner,
      p_limit: limit,
      p_lease_seconds: this.leaseSeconds,
      p_now: now,
      p_max_claims: maxClaims,
    });
    return rows.map(toPost).sort((a, b) => +a.nextAttemptAt - +b.nextAttemptAt || a.id.localeCompare(b.id));
  }

  async advance(id: string, owner: string, now: Date, input: AdvanceInput): Promise<Post | undefined> {
    return this.leased('post_advance', {
      p_id: id,
      p_owner: owner,
      p_from: input.from,
      p_to: input.to,
      p_lease_seconds: this.leaseSeconds,
      p_now: now,
      p_media: input.media && JSON.stringify(input.media),
      p_caption: input.caption,
      p_account_id: input.accountId,
      p_children: input.children && JSON.stringify(input.children),
      p_container_id: input.containerId,
      p_clear_container: input.clearContainer ?? false,
      p_reason: input.reason,
    });
  }

  async wait(id: string, owner: string, now: Date, input: WaitInput): Promise<Post | undefined> {
    return this.leased('post_wait', {
      p_id: id,
      p_owner: owner,
      p_state: input.state,
      p_next_attempt_at: input.until,
      p_now: now,
      p_reason: input.reason,
      p_error_kind: input.errorKind,
      p_error_code: input.errorCode,
      p_error_subcode: input.errorSubcode,
      p_count_attempt: input.countAttempt ?? false,
      p_count_poll: input.countPoll ?? false,
    });
  }

  async fail(id: string, owner: string, now: Date, input: FailInput): Promise<Post | undefined> {
    return this.leased('post_fail', {
      p_id: id,
      p_owner: owner,
      p_from: input.from,
      p_reason: input.reason,
      p_error_kind: input.errorKind,
      p_now: now,
      p_error_code: input.errorCode,
      p_error_subcode: input.errorSubcode,
    });
  }

  async beginPublish(
    id: string,
    owner: string,
    now: Date,
    quota: { accountId: string; total: number; windowSeconds: number; liveUsage?: number },
  ): Promise<BeginPublishOutcome> {
    const row = only(
      await this.sql.rpc('post_begin_publish', {
        p_id: id,
        p_owner: owner,
        p_account_id: quota.accountId,
        p_quota_total: quota.total,
        p_window_seconds: quota.windowSeconds,
        p_lease_seconds: this.leaseSeconds,
        p_now: now,
        p_live_usage: quota.liveUsage,
      }),
      'post_begin_publish',
    );
    const outcome = row.outcome as string;
    if (outcome === 'lost' || !row.post) return { outcome: 'lost' };
    const common = {
      used: Number(row.used),
      quotaTotal: Number(row.quota_total),
      post: toPost(asRow(row.post)),
    };
    return outcome === 'reserved'
      ? { outcome: 'reserved', ...common }
      : { outcome: 'quota_full', ...common, nextSlotAt: toDate(row.next_slot_at)! };
  }

  async published(
    id: string,
    owner: string,
    now: Date,
    result: { mediaId?: string; permalink?: string; reason?: string },
  ): Promise<Post | undefined> {
    return this.leased('post_published', {
      p_id: id,
      p_owner: owner,
      p_now: now,
      p_media_id: result.mediaId,
      p_permalink: result.permalink,
      p_reason: result.reason,
    });
  }

  async setPermalink(id: string, permalink: string, now: Date): Promise<void> {
    await this.sql.rpc('post_set_permalink', { p_id: id, p_permalink: permalink, p_now: now });
  }

  /** The media ids among `mediaIds` that some post has already recorded. */
  async knownMedia(mediaIds: string[]): Promise<Set<string>> {
    if (!mediaIds.length) return new Set();
    const rows = await this.sql.rpc<{ media_id: string }>('publish_log_known_media', {
      p_media_ids: mediaIds,
    });
    return new Set(rows.map((r) => r.media_id));
  }

  async quotaUsed(accountId: string, windowSeconds: number, now: Date) {
    const row = only(
      await this.sql.rpc('publish_quota_used', {
        p_account_id: accountId,
        p_window_seconds: windowSeconds,
        p_now: now,
      }),
      'publish_quota_used',
    );
    return { published: Number(row.published), inflight: Number(row.inflight), oldest: toDate(row.oldest) };
  }

  async tokenSeen(accountId: string, tokenSha256: string, assumedLifetimeSeconds: number, now: Date) {
    const row = only(
      await this.sql.rpc('instagram_token_seen', {
        p_account_id: accountId,
        p_token_sha256: tokenSha256,
        p_assumed_lifetime_seconds: assumedLifetimeSeconds,
        p_now: now,
      }),
      'instagram_token_seen',
    );
    return toTokenRecord(row);
  }

  async tokenRefreshed(accountId: string, tokenSha256: string, expiresAt: Date, now: Date) {
    const row = only(
      await this.sql.rpc('instagram_token_refreshed', {
        p_account_id: accountId,
        p_token_sha256: tokenSha256,
        p_expires_at: expiresAt,
        p_now: now,
      }),
      'instagram_token_refreshed',
    );
    return toTokenRecord(row);
  }

  private async leased(fn: string, args: Record<string, unknown>): Promise<Post | undefined> {
    const [row] = await this.sql.rpc(fn, args);
    return row ? toPost(row) : undefined;
  }

  private async outcome(fn: string, id: string, now: Date) {
    const row = only(await this.sql.rpc(fn, { p_id: id, p_now: now }), fn);
    return { outcome: row.outcome as string, ...(row.post ? { post: toPost(asRow(row.post)) } : {}) };
  }
}
