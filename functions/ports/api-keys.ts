import { CarrierError } from '../errors.ts';

/**
 * What a key may do. `messages` sends messages and reads the jobs it created; `*` is everything
 * (including other keys' jobs).
 */
export const SCOPES = [
  'agents:read',
  'messages',
  'memories:read',
  'memories:write',
  'posts',
  'usage:read',
  '*',
] as const;
export type Scope = (typeof SCOPES)[number];
/**
 * What a key gets when no scope is named: send messages and list agents. Reading memories shows
 * every user's facts, so it is granted only when asked for (`--scope memories:read`); so is
 * `usage:read`, which shows every user's spending.
 */
export const DEFAULT_SCOPES: Scope[] = ['agents:read', 'messages'];

export interface ApiKeyRecord {
  id: string;
  name: string;
  scopes: Scope[];
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** Who made an API request: the key's id and what it may do. */
export interface Principal {
  keyId: string;
  scopes: readonly Scope[];
}

export class ApiKeyError extends CarrierError {
  override name = 'ApiKeyError';
}

/** API keys: created with a secret shown once, listed without it, revoked, verified per request. */
export interface ApiKeyRepository {
  create(name: string, scopes?: Scope[]): Promise<{ key: string; record: ApiKeyRecord }>;
  list(): Promise<ApiKeyRecord[]>;
  /** Revokes by id, or by the whole key (`ck_<id>_<secret>`); errors name the id, never the secret. */
  revoke(idOrKey: string): Promise<ApiKeyRecord>;
  /** The key's principal, or undefined when it is malformed, unknown, revoked or wrong. */
  verify(presented: string): Promise<Principal | undefined>;
}

export function hasScope(principal: Principal, scope: Scope): boolean {
  return principal.scopes.includes('*') || principal.scopes.includes(scope);
}
