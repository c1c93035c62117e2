import {
  assertSameKey,
  checkLimits,
  keyIdOf,
  mintApiKey,
  presentedKeyId,
  hashKey,
  sameHash,
} from '#core/adapters/store/api-keys.ts';
import {
  ApiKeyError,
  DEFAULT_SCOPES,
  type ApiKeyRecord,
  type RevokedKey,
  type ApiKeyRepository,
  type CreateKeyOptions,
  type KeyLimits,
  type Principal,
  type Scope,
} from '#core/ports/api-keys.ts';
import { StoreClock } from './store-clock.ts';

interface StoredKey {
  id: string;
  name: string;
  hash: string;
  scopes: Scope[];
  tenant: string;
  limits: KeyLimits;
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

const MINUTE = 60_000;

/**
 * API keys in a Map, with the semantics of migrations 0011 and 0026 and the SQL adapter: the
 * same key format and hash (minted by the adapter's `mintApiKey`), use recorded at most once a
 * minute even when the secret turns out wrong, revoking keeps the first revocation time, a key
 * is its own tenant unless one is named, and limits left unset fall back to the environment's.
 * test/store/api-keys-contract.test.ts runs the same tests against it and the SQL adapters.
 *
 * @example
 * const keys = new InMemoryApiKeyRepository();
 * const { key } = await keys.create('ci', ['messages']);
 * (await keys.verify(key))?.scopes; // ['messages']
 */
export class InMemoryApiKeyRepository implements ApiKeyRepository {
  private readonly keys = new Map<string, StoredKey>();
  private readonly clock: StoreClock;

  constructor(options: { now?: () => Date } = {}) {
    this.clock = new StoreClock(options.now);
  }

  async create(
    name: string,
    scopes: Scope[] = DEFAULT_SCOPES,
    options: CreateKeyOptions = {},
  ): Promise<{ key: string; record: ApiKeyRecord }> {
    const minted = mintApiKey(name, scopes, options);
    const stored: StoredKey = {
      id: minted.id,
      name: minted.name,
      hash: minted.hash,
      scopes: [...scopes],
      tenant: minted.tenant ?? minted.id,
      limits: { ...minted.limits },
      createdAt: this.clock.tick(),
      lastUsedAt: null,
      revokedAt: null,
    };
    this.keys.set(stored.id, stored);
    return { key: minted.key, record: toRecord(stored) };
  }

  async list(): Promise<ApiKeyRecord[]> {
    return [...this.keys.values()]
      .sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1))
      .map(toRecord);
  }

  async revoke(idOrKey: string): Promise<RevokedKey> {
    const id = keyIdOf(idOrKey);
    const stored = this.keys.get(id);
    if (!stored)
      throw new ApiKeyError(`no API key with id ${id}; see \`carrier keys list\``, 'api_key_unknown');
    assertSameKey(idOrKey, { id, hash: stored.hash });
    const alreadyRevoked = stored.revokedAt !== null;
    stored.revokedAt ??= this.clock.tick();
    return { ...toRecord(stored), alreadyRevoked };
  }

  async setLimits(
    idOrKey: string,
    limits: { [K in keyof KeyLimits]?: number | null },
  ): Promise<ApiKeyRecord> {
    const id = keyIdOf(idOrKey);
    checkLimits(Object.fromEntries(Object.entries(limits).filter(([, v]) => v !== null)) as KeyLimits);
    const stored = this.keys.get(id);
    if (!stored)
      throw new ApiKeyError(`no API key with id ${id}; see \`carrier keys list\``, 'api_key_unknown');
    for (const [name, value] of Object.entries(limits) as Array<[keyof KeyLimits, number | null]>) {
      if (value === null) delete stored.limits[name];
      else if (value !== undefined) stored.limits[name] = value;
    }
    return toRecord(stored);
  }

  async verify(presented: string): Promise<Principal | undefined> {
    const id = presentedKeyId(presented);
    const stored = id === undefined ? undefined : this.keys.get(id);
    if (!stored) return undefined;
    const now = this.clock.tick();
    if (stored.revokedAt === null && (stored.lastUsedAt === null || stored.lastUsedAt < now - MINUTE)) {
      stored.lastUsedAt = now;
    }
    if (stored.revokedAt !== null || !sameHash(stored.hash, hashKey(presented))) return undefined;
    return {
      keyId: stored.id,
      tenant: stored.tenant,
      scopes: [...stored.scopes],
      limits: { ...stored.limits },
    };
  }
}

function toRecord(key: StoredKey): ApiKeyRecord {
  const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());
  return {
    id: key.id,
    name: key.name,
    tenant: key.tenant,
    scopes: [...key.scopes],
    limits: { ...key.limits },
    createdAt: new Date(key.createdAt).toISOString(),
    lastUsedAt: iso(key.lastUsedAt),
    revokedAt: iso(key.revokedAt),
  };
}
