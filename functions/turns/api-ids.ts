/**
 * API callers name their own users and conversations, and those names share the memory tables
 * with Discord's user and channel ids (snowflakes). Stored with this prefix, an API id can never
 * equal a Discord id, so `userId=<someone's snowflake>` recalls nothing of theirs.
 *
 * The key id is deliberately not part of the namespace: keys are issued by one operator for
 * one deployment, and rotating a key (revoke, create) must not make every user a stranger to
 * the agents. Keys that must not share users should pick distinct userIds.
 */
export const API_ID_PREFIX = 'api:';

/**
 * The stored form of a caller's user or conversation id.
 *
 * @example
 * storedApiId('sam'); // 'api:sam'
 */
export function storedApiId(id: string): string {
  return `${API_ID_PREFIX}${id}`;
}

/**
 * The id as the caller wrote it: the prefix comes off, so jobs and memories show a caller its
 * own ids back. Ids from elsewhere (Discord) have no prefix and are shown as stored.
 *
 * @example
 * callerApiId('api:sam'); // 'sam'
 */
export function callerApiId(stored: string): string;
export function callerApiId(stored: string | null | undefined): string | null | undefined;
export function callerApiId(stored: string | null | undefined): string | null | undefined {
  return stored?.startsWith(API_ID_PREFIX) ? stored.slice(API_ID_PREFIX.length) : stored;
}
