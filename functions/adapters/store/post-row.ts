import type { TokenRecord } from '../../instagram/post-repository.ts';
import type { ErrorKind, Post, PostKind, PostMedia, PostState, ReelOptions } from '../../instagram/post.ts';

/** A post's row as the SQL functions return it (timestamps as Date, or ISO strings over RPC/jsonb). */
export type PostRow = Record<string, unknown>;

/** The one row a SQL function that always answers returned. */
export function only(rows: PostRow[], fn: string): PostRow {
  const [row] = rows;
  if (!row) throw new Error(`${fn} returned no row`);
  return row;
}

/** jsonb comes back parsed from PGlite and Postgres, and as a string from some RPC transports. */
export function asRow(value: unknown): PostRow {
  return (typeof value === 'string' ? JSON.parse(value) : value) as PostRow;
}

export function toDate(value: unknown): Date | null {
  if (value === null || value === undefined) return null;
  return value instanceof Date ? value : new Date(String(value));
}

function json<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

const text = (value: unknown) => (value === null || value === undefined ? null : String(value));
const int = (value: unknown) => (value === null || value === undefined ? null : Number(value));

/**
 * A posts row as the SQL functions return it, as a Post: snake_case to camelCase, jsonb parsed
 * whether the transport parsed it or not, timestamps as Dates.
 *
 * @example const post = toPost((await sql.rpc('post_get', { p_id: id }))[0]!);
 */
export function toPost(row: PostRow): Post {
  return {
    id: String(row.id),
    characterId: String(row.character_id),
    kind: row.kind as PostKind,
    media: json<PostMedia[]>(row.media),
    caption: text(row.caption),
    captionPrompt: text(row.caption_prompt),
    options: json<ReelOptions>(row.options ?? {}),
    state: row.state as PostState,
    scheduledAt: toDate(row.scheduled_at)!,
    nextAttemptAt: toDate(row.next_attempt_at)!,
    attempts: Number(row.attempts ?? 0),
    polls: Number(row.polls ?? 0),
    leaseOwner: text(row.lease_owner),
    leaseUntil: toDate(row.lease_until),
    accountId: text(row.account_id),
    children: row.children === null || row.children === undefined ? null : json<string[]>(row.children),
    containerId: text(row.container_id),
    containerCreatedAt: toDate(row.container_created_at),
    publishingStartedAt: toDate(row.publishing_started_at),
    mediaId: text(row.media_id),
    permalink: text(row.permalink),
    reason: text(row.reason),
    errorKind: row.error_kind ? (row.error_kind as ErrorKind) : null,
    errorCode: int(row.error_code),
    errorSubcode: int(row.error_subcode),
    idempotencyKey: text(row.idempotency_key),
    requestSha256: text(row.request_sha256),
    createdAt: toDate(row.created_at)!,
    updatedAt: toDate(row.updated_at)!,
    publishedAt: toDate(row.published_at),
  };
}

/** An instagram_accounts row: what is known about the account's access token. */
export function toTokenRecord(row: PostRow): TokenRecord {
  return {
    accountId: String(row.account_id),
    tokenSha256: text(row.token_sha256),
    tokenSeenAt: toDate(row.token_seen_at),
    tokenRefreshedAt: toDate(row.token_refreshed_at),
    tokenExpiresAt: toDate(row.token_expires_at),
  };
}
