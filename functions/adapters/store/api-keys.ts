import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import {
  ApiKeyError,
  DEFAULT_SCOPES,
  SCOPES,
  type ApiKeyRecord,
  type ApiKeyRepository,
  type Principal,
  type Scope,
} from '../../ports/api-keys.ts';
import { isoTime, optionalIsoTime } from '../../ports/sql-rows.ts';
import type { SqlStore } from '../../ports/sql.ts';

interface ApiKeyRow {
  id: string;
  name: string;
  hash: string;
  scopes: string[];
  created_at: Date | string;
  last_used_at: Date | string | null;
  revoked_at: Date | string | null;
}

const KEY_FORMAT = /^ck_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

/**
 * API keys in the store (migration 0011): `ck_<id>_<secret>`, shown once at creation; only the
 * SHA-256 of the whole key is kept. The id is the public part, so verifying is one lookup plus a
 * constant-time compare.
 *
 * @example
 * const keys = new SqlApiKeyRepository(store);
 * const { key } = await keys.create('ci', ['messages']);
 * (await keys.verify(key))?.scopes; // ['messages']
 */
export class SqlApiKeyRepository implements ApiKeyRepository {
  constructor(private readonly store: SqlStore) {}

  async create(
    name: string,
    scopes: Scope[] = DEFAULT_SCOPES,
  ): Promise<{ key: string; record: ApiKeyRecord }> {
    const minted = mintApiKey(name, scopes);
    const [row] = await this.store.rpc<ApiKeyRow>('api_key_create', {
      p_id: minted.id,
      p_name: minted.name,
      p_hash: minted.hash,
      p_scopes: scopes,
    });
    return { key: minted.key, record: toRecord(row!) };
  }

  async list(): Promise<ApiKeyRecord[]> {
    return (await this.store.rpc<ApiKeyRow>('api_key_list')).map(toRecord);
  }

  /** Revokes by id, or by the whole key (`ck_<id>_<secret>`); errors name the id, never the secret. */
  async revoke(idOrKey: string): Promise<ApiKeyRecord> {
    const id = keyIdOf(idOrKey);
    const [row] = await this.store.rpc<ApiKeyRow>('api_key_revoke', { p_id: id });
    if (!row) throw new ApiKeyError(`no API key with id ${id}; see \`carrier keys list\``, 'api_key_unknown');
    return toRecord(row);
  }

  /** The key's principal, or undefined when it is malformed, unknown, revoked or wrong. */
  async verify(presented: string): Promise<Principal | undefined> {
    const id = presentedKeyId(presented);
    if (!id) return undefined;
    const [row] = await this.store.rpc<ApiKeyRow>('api_key_use', { p_id: id });
    if (!row || row.revoked_at) return undefined;
    if (!sameHash(row.hash, hashKey(presented))) return undefined;
    return { keyId: row.id, scopes: row.scopes as Scope[] };
  }
}

/**
 * A new key for `name` with `scopes` (checked): its id, the whole key to show once, and the
 * hash to keep. Shared with the in-memory fake, so both mint and refuse alike.
 *
 * @example
 * mintApiKey('ci', ['messages']).key; // 'ck_0a1b2c3d4e5f_…'
 */
export function mintApiKey(name: string, scopes: readonly Scope[]) {
  if (!name.trim()) throw new ApiKeyError('an API key needs a name, e.g. --name ci', 'api_key_name');
  const unknown = scopes.filter((s) => !(SCOPES as readonly string[]).includes(s));
  if (unknown.length) {
    throw new ApiKeyError(
      `unknown scope ${unknown.join(', ')}; scopes are ${SCOPES.join(', ')}`,
      'api_key_scope',
    );
  }
  const id = randomBytes(6).toString('hex');
  const key = `ck_${id}_${randomBytes(32).toString('base64url')}`;
  return { id, name: name.trim(), key, hash: hashKey(key) };
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

export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** Compares two hex digests in constant time. */
export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}

function toRecord(row: ApiKeyRow): ApiKeyRecord {
  return {
    id: row.id,
    name: row.name,
    scopes: row.scopes as Scope[],
    createdAt: isoTime(row.created_at),
    lastUsedAt: optionalIsoTime(row.last_used_at),
    revokedAt: optionalIsoTime(row.revoked_at),
  };
}
