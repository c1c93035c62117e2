import { createHash } from 'node:crypto';
import type { Principal } from '../ports/api-keys.ts';
import { TURN_LIMITS } from '../ports/turn-limits.ts';
import { callerApiId, storedApiId, tenantPrefix } from '../turns/api-ids.ts';
import { ApiError } from './errors.ts';

/** How one caller's ids become stored ids and back (the one place the two meet). */
export interface CallerIds {
  /**
   * The user a request acts for, as the caller spells it and as stored. A key names any user of
   * its tenant (its own id when `given` is absent); a signed-in user is its token's `sub`, and
   * naming anyone else is a 403 that names `path`.
   */
  user(given: string | undefined, path: string): { id: string; stored: string };
  /** The stored form of a conversation (or memory room) id the caller wrote at `path`. */
  conversation(given: string, path: string): string;
  /** The caller's spelling of a stored user id, or null when the user is not the caller's to see. */
  shownUser(stored: string | null | undefined): string | null;
  shownConversation(stored: string | null | undefined): string | null;
  /** What a listing that names no user covers: a key's whole tenant, or a signed-in user alone. */
  everyone: { usersWithin: string } | { userId: string };
  /** Keyed resends are found within this: the tenant for keys, the user for signed-in users. */
  idempotencyScope: string;
}

/**
 * A signed-in user's stored id: `api:<tenant>:oidc:<issuer>:<sub>`. Under the tenant, so
 * nothing of it crosses tenants and the tenant's keys reach it as `oidc:<issuer>:<sub>`; under
 * the issuer, so two providers' equal subjects stay two users. A `sub` that is not short
 * printable ASCII without `:` is stored as its SHA-256, so the id stays bounded and unambiguous.
 *
 * @example
 * subjectApiId('acme', 'cognito', '7d3f…'); // 'api:acme:oidc:cognito:7d3f…'
 */
export function subjectApiId(tenant: string, issuer: string, sub: string): string {
  return storedApiId(tenant, `oidc:${issuer}:${subjectKey(sub)}`);
}

/** A `sub` as ids carry it: itself when short printable ASCII without `:`, else `~` + its SHA-256. */
export function subjectKey(sub: string): string {
  return /^[\x21-\x39\x3b-\x7e]{1,64}$/.test(sub)
    ? sub
    : `~${createHash('sha256').update(sub).digest('base64url')}`;
}

/**
 * The caller's id mapping: API keys use their tenant's namespace (api-ids.ts); a signed-in user
 * only its own id, and its conversations live under it, so two users of one app never share one.
 *
 * @example
 * const ids = callerIds(c.get('principal'));
 * const user = ids.user(body.userId, 'body.userId'); // 403 when a signed-in user names another
 */
export function callerIds(principal: Principal): CallerIds {
  const { tenant, subject } = principal;
  if (!subject) {
    return {
      user: (given) => {
        const id = given ?? principal.keyId;
        return { id, stored: storedApiId(tenant, id) };
      },
      conversation: (given) => storedApiId(tenant, given),
      shownUser: (stored) => callerApiId(tenant, stored),
      shownConversation: (stored) => callerApiId(tenant, stored),
      everyone: { usersWithin: tenantPrefix(tenant) },
      idempotencyScope: tenant,
    };
  }
  const own = subjectApiId(tenant, subject.issuer, subject.sub);
  const rooms = `${own}:`;
  return {
    user: (given, path) => {
      if (given !== undefined && given !== subject.sub) {
        throw new ApiError(
          403,
          'forbidden',
          `a signed-in user acts only as itself: leave ${path} out or send its token's sub`,
          [{ path, message: 'is not the token’s sub' }],
        );
      }
      return { id: subject.sub, stored: own };
    },
    conversation: (given, path) => {
      const stored = `${rooms}${given}`;
      if (stored.length > TURN_LIMITS.conversationLength) {
        const most = TURN_LIMITS.conversationLength - rooms.length;
        throw new ApiError(400, 'invalid_request', `${path} is too long: at most ${most} characters`, [
          { path, message: `at most ${most} characters` },
        ]);
      }
      return stored;
    },
    shownUser: (stored) => (stored === own ? subject.sub : null),
    shownConversation: (stored) => (stored?.startsWith(rooms) ? stored.slice(rooms.length) : null),
    everyone: { userId: own },
    idempotencyScope: `${tenant}\n${own}`,
  };
}
