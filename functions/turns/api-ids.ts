/**
 * API callers name their own users and conversations, and those names share the memory and
 * turn tables with Discord's user and channel ids (snowflakes) and with every other tenant's
 * names. Stored as `api:<tenant>:<id>`, an API id can never equal a Discord id (no prefix) or
 * another tenant's id, so `userId=alice` under key B recalls nothing alice told key A.
 *
 * The tenant, not the key, is the namespace: keys created with the same `--tenant` share users,
 * so rotating a key (create one in the tenant, revoke the old) keeps every user known.
 */
export const API_ID_PREFIX = 'api:';

/**
 * Where a tenant's stored ids start: `api:<tenant>:`.
 *
 * @example
 * tenantPrefix('acme'); // 'api:acme:'
 */
export function tenantPrefix(tenant: string): string {
  return `${API_ID_PREFIX}${tenant}:`;
}

/**
 * The stored form of a caller's user or conversation id.
 *
 * @example
 * storedApiId('acme', 'sam'); // 'api:acme:sam'
 */
export function storedApiId(tenant: string, id: string): string {
  return `${tenantPrefix(tenant)}${id}`;
}

/**
 * The id as the caller wrote it, for the caller's tenant only: the prefix comes off. Ids of
 * another tenant, of Discord or from before tenants are not the caller's, so none is shown.
 *
 * @example
 * callerApiId('acme', 'api:acme:sam'); // 'sam'
 * callerApiId('acme', 'api:globex:sam'); // null
 */
export function callerApiId(tenant: string, stored: string | null | undefined): string | null {
  const prefix = tenantPrefix(tenant);
  return stored?.startsWith(prefix) ? stored.slice(prefix.length) : null;
}

/**
 * The tenant of a stored API id, for code that holds only the id (webhooks, the dead-letter
 * consumer). Undefined for Discord ids.
 *
 * @example
 * tenantOf('api:acme:sam'); // 'acme'
 */
export function tenantOf(stored: string): string | undefined {
  if (!stored.startsWith(API_ID_PREFIX)) return undefined;
  const end = stored.indexOf(':', API_ID_PREFIX.length);
  return end > API_ID_PREFIX.length ? stored.slice(API_ID_PREFIX.length, end) : undefined;
}
