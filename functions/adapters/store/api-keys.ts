import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import {
  ApiKeyError,
  assertTenant,
  DEFAULT_SCOPES,
  SCOPES,
  type ApiKeyRecord,
  type ApiKeyRepository,
  type CreateKeyOptions,
  type KeyLimits,
  type Principal,
  type RevokedKey,
  type Scope,
} from '../../ports/api-keys.ts';
import { isoTime, optionalIsoTime } from '../../ports/sql-rows.ts';
import type { SqlStore } from '../../ports/sql.ts';

interface ApiKeyRow {
  id: string;
  name: string;
  hash: string;
  scopes: string[];
  tenant: string;
  rate_per_minute: number | null;
  burst: number | null;
  max_in_flight: number | null;
  created_at: Date | string;
  last_used_at: Date | string | null;
  revoked_at: Date | string | null;
}

const KEY_FORMAT = /^ck_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

/**
 * API keys in the store (migrations 0011, 0026, 0077): `ck_<id>_<secret>`, shown once at
 * creation; only the SHA-256 of the whole key is kept. The id is the public part, so verifying
 * is one lookup plus a constant-time compare. Each key has a tenant (its own id unless named)
 * and may have limits of its own.
 *
 * @example
 * const keys = new SqlApiKeyRepository(store);
 * const { key } = await keys.create('ci', ['messages'], { tenant: 'acme' });
 * (await keys.verify(key))?.tenant; // 'acme'
 */
export class SqlApiKeyRepository implements ApiKeyRepository {
  constructor(private readonly store: SqlStore) {}

  async create(
    name: string,
    scopes: Scope[] = DEFAULT_SCOPES,
    options: CreateKeyOptions = {},
  ): Promise<{ key: string; record: ApiKeyRecord }> {
    const minted = mintApiKey(name, scopes, options);
    const [row] = await this.store.rpc<ApiKeyRow>('api_key_create', {
      p_id: minted.id,
      p_name: minted.name,
      p_hash: minted.hash,
      p_scopes: scopes,
      p_tenant: minted.tenant,
      p_rate_per_minute: minted.limits.ratePerMinute,
      p_burst: minted.limits.burst,
      p_max_in_flight: minted.limits.maxInFlight,
    });
    return { key: minted.key, record: toRecord(row!) };
  }

  /** Sets a key's limits; a field given as null goes back to the environment's default. */
  async setLimits(
    idOrKey: string,
    limits: { [K in keyof KeyLimits]?: number | null },
  ): Promise<ApiKeyRecord> {
    const id = keyIdOf(idOrKey);
    const given = checkLimits(
      Object.fromEntries(Object.entries(limits).filter(([, v]) => v !== null)) as KeyLimits,
    );
    const clear = Object.entries(limits)
      .filter(([, v]) => v === null)
      .map(([k]) => COLUMNS[k as keyof KeyLimits]);
    const [row] = await this.store.rpc<ApiKeyRow>('api_key_set_limits', {
      p_id: id,
      p_rate_per_minute: given.ratePerMinute,
      p_burst: given.burst,
      p_max_in_flight: given.maxInFlight,
      p_clear: clear,
    });
    if (!row) throw unknownKey(id);
    return toRecord(row);
  }

  async list(): Promise<ApiKeyRecord[]> {
    return (await this.store.rpc<ApiKeyRow>('api_key_list')).map(toRecord);
  }

  /**
   * Revokes by id, or by the whole key (`ck_<id>_<secret>`) when it is that key: a pasted key
   * whose secret does not match is refused, so a mistyped or foreign key never revokes the key
   * its id part names. Revoking a revoked key changes nothing (`alreadyRevoked`, and the first
   * `revokedAt`). Errors name the id, never the secret.
   */
  async revoke(idOrKey: string): Promise<RevokedKey> {
    const id = keyIdOf(idOrKey);
    const [row] = await this.store.rpc<ApiKeyRow>('api_key_get', { p_id: id });
    if (!row) throw unknownKey(id);
    assertSameKey(idOrKey, row);
    if (row.revoked_at) return { ...toRecord(row), alreadyRevoked: true };
    // Two revokes at once may both report revoking it; api_key_revoke keeps the first time.
    const [revoked] = await this.store.rpc<ApiKeyRow>('api_key_revoke', { p_id: id });
    if (!revoked) throw unknownKey(id);
    return { ...toRecord(revoked), alreadyRevoked: false };
  }

  /** The key's principal, or undefined when it is malformed, unknown, revoked or wrong. */
  async verify(presented: string): Promise<Principal | undefined> {
    const id = presentedKeyId(presented);
    if (!id) return undefined;
    const [row] = await this.store.rpc<ApiKeyRow>('api_key_use', { p_id: id });
    if (!row || row.revoked_at) return undefined;
    if (!isKeyOf(row, presented)) return undefined;
    return { keyId: row.id, tenant: row.tenant, scopes: row.scopes as Scope[], limits: limitsOf(row) };
  }
}

/**
 * A new key for `name` with `scopes`, a tenant and limits (all checked): its id, the whole key to
 * show once, the hash to keep, and its tenant (named, or undefined for its own). Shared with the
 * in-memory fake, so both mint and refuse alike.
 *
 * @example
 * mintApiKey('ci', ['messages'], { tenant: 'acme' }).key; // 'ck_0a1b2c3d4e5f_…'
 */
export function mintApiKey(name: string, scopes: readonly Scope[], options: CreateKeyOptions = {}) {
  if (!name.trim()) throw new ApiKeyError('an API key needs a name, e.g. --name ci', 'api_key_name');
  const unknown = scopes.filter((s) => !(SCOPES as readonly string[]).includes(s));
  if (unknown.length) {
    throw new ApiKeyError(
      `unknown scope ${unknown.join(', ')}; scopes are ${SCOPES.join(', ')}`,
      'api_key_scope',
    );
  }
  const tenant = options.tenant === undefined ? undefined : assertTenant(options.tenant);
  const limits = checkLimits(options.limits ?? {});
  const id = randomBytes(6).toString('hex');
  const key = `ck_${id}_${randomBytes(32).toString('base64url')}`;
  return { id, name: name.trim(), key, hash: hashKey(key), tenant, limits };
}

/** The id of a presented key, or undefined when it is not shaped like one (`ck_<id>_<secret>`). */
export function presentedKeyId(presented: string): string | undefined {
  return KEY_FORMAT.exec(presented)?.[1];
}

/**
 * The id part of what a user pasted: an id, `ck_<id>`, or a whole key (the secret is dropped,
 * so it never reaches a message or a log).
 *
 * @example
 * keyIdOf('ck_0a1b2c3d4e5f_s3cr3t'); // '0a1b2c3d4e5f'
 */
export function keyIdOf(idOrKey: string): string {
  return idOrKey.trim().replace(/^ck_/, '').split('_')[0] ?? '';
}

/**
 * Refuses `idOrKey` when it carries a secret (`ck_<id>_<secret>`) that is not `stored`'s: only
 * an id, `ck_<id>` or the key itself names a key. The message shows the id, never the secret
 * given. Exported so the in-memory fake can refuse alike.
 *
 * @example
 * assertSameKey('ck_2373e3220697_wrong', stored); // throws ApiKeyError 'ck_2373…: not the key 2373e3220697 …'
 */
export function assertSameKey(idOrKey: string, stored: { id: string; hash: string }): void {
  const given = idOrKey.trim();
  const hasSecret = given.replace(/^ck_/, '').includes('_');
  if (!hasSecret || isKeyOf(stored, given)) return;
  const shown = `${given.startsWith('ck_') ? 'ck_' : ''}${stored.id.slice(0, 4)}…`;
  throw new ApiKeyError(
    `${shown}: not the key ${stored.id} (its secret does not match); pass the key id alone to revoke key ${stored.id}`,
    'api_key_mismatch',
  );
}

/** Whether `presented` is the key whose hash is stored: what `verify` and `revoke` both check. */
function isKeyOf(stored: { hash: string }, presented: string): boolean {
  return sameHash(stored.hash, hashKey(presented));
}

function unknownKey(id: string): ApiKeyError {
  return new ApiKeyError(`no API key with id ${id}; see \`carrier keys list\``, 'api_key_unknown');
}

export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** Compares two hex digests in constant time. */
export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The limits' column names, for clearing one back to the environment's default. */
const COLUMNS: Record<keyof KeyLimits, string> = {
  ratePerMinute: 'rate_per_minute',
  burst: 'burst',
  maxInFlight: 'max_in_flight',
};

/** The largest value each limit takes: well above any real use, below integer overflow. */
const MAX_LIMIT: Record<keyof KeyLimits, number> = {
  ratePerMinute: 1_000_000,
  burst: 100_000,
  maxInFlight: 100_000,
};

/** Checks limits given to a key, naming the one out of range. Shared with the in-memory fake. */
export function checkLimits(limits: KeyLimits): KeyLimits {
  for (const [name, value] of Object.entries(limits) as Array<[keyof KeyLimits, number | undefined]>) {
    if (value === undefined) continue;
    if (!Number.isInteger(value) || value < 1 || value > MAX_LIMIT[name]) {
      throw new ApiKeyError(
        `${name} must be a whole number from 1 to ${MAX_LIMIT[name]}, got ${value}`,
        'api_key_limits',
      );
    }
  }
  return limits;
}

function limitsOf(row: ApiKeyRow): KeyLimits {
  return {
    ...(row.rate_per_minute == null ? {} : { ratePerMinute: Number(row.rate_per_minute) }),
    ...(row.burst == null ? {} : { burst: Number(row.burst) }),
    ...(row.max_in_flight == null ? {} : { maxInFlight: Number(row.max_in_flight) }),
  };
}

function toRecord(row: ApiKeyRow): ApiKeyRecord {
  return {
    id: row.id,
    name: row.name,
    tenant: row.tenant,
    scopes: row.scopes as Scope[],
    limits: limitsOf(row),
    createdAt: isoTime(row.created_at),
    lastUsedAt: optionalIsoTime(row.last_used_at),
    revokedAt: optionalIsoTime(row.revoked_at),
  };
}
