import { storedUserIds } from '#core/adapters/store/stored-user-ids.ts';
import { subjectKey } from '#core/api/caller-ids.ts';
import { CarrierError } from '#core/errors.ts';
import type { SqlStore } from '#core/ports/sql.ts';
import { API_ID_PREFIX, tenantOf, tenantPrefix } from '#core/turns/api-ids.ts';

// An operator's --user against the ids the store holds. The API stores its caller's `sam` as
// `api:<tenant>:sam` (a signed-in user as `api:<tenant>:oidc:<issuer>:<sub>`), Discord and
// `carrier chat` store theirs bare: a bare `sam` that matches nothing but ends those ids must
// name them, never act on nobody (a forget that deletes nothing and says it forgot).

/** How many matching ids an error names; the rest are counted. */
const SHOWN = 5;

/** What --user found: whether the id itself is stored, and the other stored ids ending in it. */
export interface UserMatch {
  stored: boolean;
  others: string[];
}

/**
 * Looks `given` up among the stored users of `character` (every character when absent), and
 * refuses it in one line when it is not stored itself but other ids end in it.
 *
 * @example
 * await matchUser(store, 'sam', 'ada');
 * // throws: no user "sam" for ada; did you mean api:acme:sam (API key tenant acme)? pass it with --user
 */
export async function matchUser(store: SqlStore, given: string, character?: string): Promise<UserMatch> {
  // A signed-in user's `sub` that ids cannot carry as it is is stored as its hash (caller-ids.ts).
  const matches = await storedUserIds(store, [...new Set([given, subjectKey(given)])], character);
  const others = matches.filter((id) => id !== given);
  const stored = others.length < matches.length;
  if (!stored && others.length) {
    throw new CarrierError(
      `${noUser(given, character)}; did you mean ${others.length > 1 ? 'one of ' : ''}${describeStoredUsers(others)}? pass ${others.length > 1 ? 'one' : 'it'} with --user`,
      'user_unknown',
    );
  }
  return { stored, others };
}

/**
 * matchUser for commands that read a user's data: a user nothing is stored for is a mistake
 * (a typo, or the wrong store), said in one line with `hint`, where to find the users.
 *
 * @example
 * await requireUser(store, 'sam', 'ada', '`carrier memory list ada` shows whose memories it holds');
 */
export async function requireUser(
  store: SqlStore,
  given: string,
  character: string | undefined,
  hint: string,
): Promise<void> {
  if (!(await matchUser(store, given, character)).stored) {
    throw new CarrierError(
      `${noUser(given, character)}: nothing is stored for them; ${hint}`,
      'user_unknown',
    );
  }
}

/**
 * Stored ids, each with what it is, the first few only.
 *
 * @example
 * describeStoredUsers(['api:a:sam', 'api:b:sam']); // 'api:a:sam (API key tenant a), api:b:sam (API key tenant b)'
 */
export function describeStoredUsers(ids: string[]): string {
  const more = ids.length > SHOWN ? ` and ${ids.length - SHOWN} more` : '';
  return `${ids.slice(0, SHOWN).map(describeStoredUser).join(', ')}${more}`;
}

/**
 * A stored user id with where it came from, when its form tells.
 *
 * @example
 * describeStoredUser('api:acme:sam'); // 'api:acme:sam (API key tenant acme)'
 */
export function describeStoredUser(id: string): string {
  const tenant = tenantOf(id);
  if (tenant === undefined) return id.startsWith(API_ID_PREFIX) ? `${id} (API, stored before tenants)` : id;
  const issuer = /^oidc:([^:]+):/.exec(id.slice(tenantPrefix(tenant).length))?.[1];
  return issuer
    ? `${id} (signed-in user of tenant ${tenant}, issuer ${issuer})`
    : `${id} (API key tenant ${tenant})`;
}

const noUser = (given: string, character?: string) =>
  `no user "${given}"${character ? ` for ${character}` : ''}`;
