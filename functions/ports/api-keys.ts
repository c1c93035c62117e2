import { CarrierError } from '../errors.ts';

/**
 * What a key may do. `messages` sends messages and reads its tenant's jobs; `*` is every scope,
 * still within the key's tenant.
 */
export const SCOPES = [
  'agents:read',
  'messages',
  'memories:read',
  'memories:write',
  'posts',
  'schedules',
  'usage:read',
  '*',
] as const;
export type Scope = (typeof SCOPES)[number];
/**
 * What a key gets when no scope is named: send messages and list agents. Reading memories shows
 * every user's facts of the tenant, so it is granted only when asked for (`--scope memories:read`);
 * so is `usage:read`, which shows every user's spending.
 */
export const DEFAULT_SCOPES: Scope[] = ['agents:read', 'messages'];

/**
 * A tenant name: lower-case letters, digits, `-` and `_`, at most 32, starting with a letter or
 * digit. No `:` — stored ids are `api:<tenant>:<id>`, so the tenant part must end unambiguously.
 * A key's own id (12 hex digits) is a valid tenant: by default a key is its own tenant.
 */
export const TENANT_ID = /^[a-z0-9][a-z0-9_-]{0,31}$/;

/** Per-key limits; an absent field falls back to the environment's default. */
export interface KeyLimits {
  /** Requests a minute the key's token bucket refills. */
  ratePerMinute?: number;
  /** Requests the bucket holds: how many may come at once after a quiet spell. */
  burst?: number;
  /** The key's queued + running turns at most; more messages answer 429 until some finish. */
  maxInFlight?: number;
}

export interface ApiKeyRecord {
  id: string;
  name: string;
  /** Whose users, jobs and posts the key reaches: several keys may share one (rotation). */
  tenant: string;
  scopes: Scope[];
  limits: KeyLimits;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** A key as `revoke` left it. */
export interface RevokedKey extends ApiKeyRecord {
  /** It was revoked before this call: nothing changed, and `revokedAt` is that first time. */
  alreadyRevoked: boolean;
}

/**
 * Who made an API request: the key's id, its tenant and what it may do. A signed-in end user
 * (an OIDC access token) has a `subject`: it acts only as that user, and `keyId` is the user's
 * (`oidc:<issuer>:<sub>`), so its rate limit and in-flight cap are its own.
 */
export interface Principal {
  keyId: string;
  tenant: string;
  scopes: readonly Scope[];
  limits?: KeyLimits;
  /** The token's issuer (its name in the config) and `sub`. */
  subject?: { issuer: string; sub: string };
}

export class ApiKeyError extends CarrierError {
  override name = 'ApiKeyError';
}

export interface CreateKeyOptions {
  /** Default: the new key's own id, so the key is a tenant of its own. */
  tenant?: string;
  limits?: KeyLimits;
}

/** API keys: created with a secret shown once, listed without it, revoked, verified per request. */
export interface ApiKeyRepository {
  create(
    name: string,
    scopes?: Scope[],
    options?: CreateKeyOptions,
  ): Promise<{ key: string; record: ApiKeyRecord }>;
  list(): Promise<ApiKeyRecord[]>;
  /**
   * Revokes by id, or by the whole key (`ck_<id>_<secret>`) when it is that key (a whole key with
   * another secret is refused); revoking again keeps the first revocation. Errors name the id,
   * never the secret; `alreadyRevoked` tells a repeat from the first.
   */
  revoke(idOrKey: string): Promise<RevokedKey>;
  /** Sets a key's limits; a field given as null goes back to the environment's default. */
  setLimits(idOrKey: string, limits: { [K in keyof KeyLimits]?: number | null }): Promise<ApiKeyRecord>;
  /** The key's principal, or undefined when it is malformed, unknown, revoked or wrong. */
  verify(presented: string): Promise<Principal | undefined>;
}

export function hasScope(principal: Principal, scope: Scope): boolean {
  return principal.scopes.includes('*') || principal.scopes.includes(scope);
}

/**
 * Checks a tenant name given by an operator, with a message saying what is allowed.
 *
 * @example
 * assertTenant('acme'); // ok
 * assertTenant('Acme Corp'); // throws ApiKeyError
 */
export function assertTenant(tenant: string): string {
  if (!TENANT_ID.test(tenant)) {
    throw new ApiKeyError(
      `tenant "${tenant}" is not valid: use 1-32 lower-case letters, digits, - or _, starting with a letter or digit (e.g. --tenant acme)`,
      'api_key_tenant',
    );
  }
  return tenant;
}
