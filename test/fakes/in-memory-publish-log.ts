import type { TokenRecord } from '#core/instagram/post-repository.ts';

/** One publish_log row: a publish that may have reached Meta, reserved before media_publish. */
interface PublishLogEntry {
  accountId: string;
  reservedAt: Date;
  publishedAt: Date | null;
  mediaId: string | null;
}

/** What post_begin_publish decides from the log: whether the quota has room, and if not, until when. */
export interface QuotaDecision {
  /** Publishes counted against the quota before this one. */
  used: number;
  full: boolean;
  /** When the oldest publish in the window leaves it (or in 15 minutes when none is known). */
  nextSlotAt: Date;
  /** When a post refused for the quota is looked at again: the next slot, at least a minute on. */
  nextAttemptAt: Date;
  reason: string;
}

const MINUTE = 60_000;

/**
 * The publish_log table behind the rolling quota (migrations 0020, 0022, 0024), for
 * InMemoryPostRepository: one entry per post whose publish may have reached Meta.
 *
 * @example
 * const log = new InMemoryPublishLog();
 * log.decide('acct', 'p1', new Date(), { total: 50, windowSeconds: 86_400 }).full; // false
 */
export class InMemoryPublishLog {
  private readonly entries = new Map<string, PublishLogEntry>();

  /**
   * used = the larger of Meta's live count and our publishes in the window, plus our publishes
   * whose outcome is not recorded yet (other than `postId`'s own).
   */
  decide(
    accountId: string,
    postId: string,
    now: Date,
    quota: { total: number; windowSeconds: number; liveUsage?: number },
  ): QuotaDecision {
    const windowMs = quota.windowSeconds * 1000;
    const mine = [...this.entries].filter(([, e]) => e.accountId === accountId);
    const inWindow = this.publishedSince(accountId, +now - windowMs);
    const inflight = mine.filter(([id, e]) => e.publishedAt === null && id !== postId).length;
    const used = Math.max(quota.liveUsage ?? 0, inWindow.length) + inflight;
    // Meta counting publishes we have no record of means no slot time is known: look again soon.
    const nextSlotAt = new Date(inWindow.length ? Math.min(...inWindow) + windowMs : +now + 15 * MINUTE);
    const hours = String(Math.round(quota.windowSeconds / 360) / 10);
    const slot = `${nextSlotAt.toISOString().slice(0, 19)}Z`;
    return {
      used,
      full: used >= quota.total,
      nextSlotAt,
      nextAttemptAt: new Date(Math.max(+nextSlotAt, +now + MINUTE)),
      reason: `waiting for the publishing quota: ${used} of ${quota.total} used in the last ${hours} h; next slot at ${slot}`,
    };
  }

  /** Reserves a slot for the post's publish (again, if it had one). */
  reserve(postId: string, accountId: string, now: Date): void {
    this.entries.set(postId, { accountId, reservedAt: now, publishedAt: null, mediaId: null });
  }

  published(postId: string, now: Date, mediaId: string | null): void {
    const entry = this.entries.get(postId);
    if (entry) Object.assign(entry, { publishedAt: now, mediaId });
  }

  /** Drops the post's reservation if its publish was never recorded. */
  giveBack(postId: string): void {
    if (this.entries.get(postId)?.publishedAt === null) this.entries.delete(postId);
  }

  used(accountId: string, windowSeconds: number, now: Date) {
    const inWindow = this.publishedSince(accountId, +now - windowSeconds * 1000);
    const mine = [...this.entries.values()].filter((e) => e.accountId === accountId);
    return {
      published: inWindow.length,
      inflight: mine.filter((e) => e.publishedAt === null).length,
      oldest: inWindow.length ? new Date(Math.min(...inWindow)) : null,
    };
  }

  knownMedia(mediaIds: string[]): Set<string> {
    const known = new Set([...this.entries.values()].map((e) => e.mediaId));
    return new Set(mediaIds.filter((m) => known.has(m)));
  }

  private publishedSince(accountId: string, start: number): number[] {
    return [...this.entries.values()].flatMap((e) =>
      e.accountId === accountId && e.publishedAt && +e.publishedAt > start ? [+e.publishedAt] : [],
    );
  }
}

/**
 * The instagram_accounts table (migration 0023): what is known about each account's token, a
 * SHA-256 of it and never the token.
 */
export class InMemoryTokenRecords {
  private readonly accounts = new Map<string, TokenRecord>();

  /** The account's record, created empty the first time (the row post_begin_publish also inserts). */
  account(accountId: string): TokenRecord {
    const found = this.accounts.get(accountId);
    if (found) return found;
    const created: TokenRecord = {
      accountId,
      tokenSha256: null,
      tokenSeenAt: null,
      tokenRefreshedAt: null,
      tokenExpiresAt: null,
    };
    this.accounts.set(accountId, created);
    return created;
  }

  /** A token not seen before starts its clock now and is assumed to expire after `lifetimeSeconds`. */
  seen(accountId: string, tokenSha256: string, lifetimeSeconds: number, now: Date): TokenRecord {
    const account = this.account(accountId);
    if (account.tokenSha256 !== tokenSha256) {
      const tokenExpiresAt = new Date(+now + lifetimeSeconds * 1000);
      Object.assign(account, { tokenSha256, tokenSeenAt: now, tokenRefreshedAt: null, tokenExpiresAt });
    }
    return structuredClone(account);
  }

  refreshed(accountId: string, tokenSha256: string, expiresAt: Date, now: Date): TokenRecord {
    const account = this.account(accountId);
    Object.assign(account, {
      tokenSha256,
      tokenSeenAt: now,
      tokenRefreshedAt: now,
      tokenExpiresAt: expiresAt,
    });
    return structuredClone(account);
  }

  all(): TokenRecord[] {
    return [...this.accounts.values()].map((a) => structuredClone(a));
  }
}
