import { beforeEach, describe, expect, it } from 'vitest';
import { SqlApiKeyRepository } from '#core/adapters/store/api-keys.ts';
import type { ApiKeyRepository } from '#core/ports/api-keys.ts';
import { InMemoryApiKeyRepository } from '#test/fakes/in-memory-api-keys.ts';
import { SQL_ADAPTERS, useContractStores } from './support/contract-stores.ts';

const stores = useContractStores();

describe.each(['in-memory', ...SQL_ADAPTERS] as const)('API keys store contract: %s', (name) => {
  let keys: ApiKeyRepository;
  beforeEach(async () => {
    if (name === 'in-memory') {
      keys = new InMemoryApiKeyRepository();
      return;
    }
    await stores().reset();
    keys = new SqlApiKeyRepository(stores().adapters[name]);
  });

  it('creates a key shown once, with the default scopes unless told, and lists it without the secret', async () => {
    const { key, record } = await keys.create('  ci  ');
    expect(key).toMatch(/^ck_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    expect(record).toEqual({
      id: key.split('_')[1],
      name: 'ci',
      tenant: key.split('_')[1],
      scopes: ['agents:read', 'messages'],
      limits: {},
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      lastUsedAt: null,
      revokedAt: null,
    });
    const admin = await keys.create('admin', ['*']);
    expect(await keys.list()).toEqual([record, admin.record]);
    expect(JSON.stringify(await keys.list())).not.toContain(key.slice(-43));
  });

  it('refuses a key without a name or with an unknown scope, naming the fix', async () => {
    await expect(keys.create(' ')).rejects.toMatchObject({
      name: 'ApiKeyError',
      message: 'an API key needs a name, e.g. --name ci',
    });
    await expect(keys.create('x', ['root' as never])).rejects.toThrow(
      'unknown scope root; scopes are agents:read, messages, memories:read, memories:write, posts, schedules, usage:read, *',
    );
    expect(await keys.list()).toEqual([]);
  });

  it('verifies a key to its principal and records its use, and nothing for a malformed, unknown or wrong one', async () => {
    const { key, record } = await keys.create('ci', ['messages', 'posts']);
    expect(await keys.verify(key)).toEqual({
      keyId: record.id,
      tenant: record.id,
      scopes: ['messages', 'posts'],
      limits: {},
    });
    const [used] = await keys.list();
    expect(used?.lastUsedAt).not.toBeNull();
    await keys.verify(key);
    // Use is recorded at most once a minute, to spare writes.
    expect((await keys.list())[0]?.lastUsedAt).toBe(used?.lastUsedAt);

    const wrongSecret = key.slice(0, -4) + (key.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    for (const presented of ['nope', `ck_ffffffffffff_${key.slice(-43)}`, wrongSecret]) {
      expect(await keys.verify(presented)).toBeUndefined();
    }
  });

  it('revokes by id, ck_<id> or the whole key, keeps the first revocation, and names only the id when unknown', async () => {
    const a = await keys.create('a');
    const b = await keys.create('b');
    const revoked = await keys.revoke(a.record.id);
    expect(revoked).toMatchObject({ id: a.record.id, name: 'a', revokedAt: expect.any(String) });
    expect(await keys.verify(a.key)).toBeUndefined();
    expect((await keys.revoke(`ck_${a.record.id}`)).revokedAt).toBe(revoked.revokedAt);
    expect((await keys.revoke(b.key)).name).toBe('b');

    const secret = b.key.slice(-43);
    const unknown = await keys.revoke(`ck_ffffffffffff_${secret}`).catch((error: Error) => error);
    expect(unknown).toMatchObject({
      name: 'ApiKeyError',
      message: 'no API key with id ffffffffffff; see `carrier keys list`',
    });
  });

  it('keeps a key’s tenant and limits, sets and clears limits, and refuses a bad tenant or limit naming it', async () => {
    const { key, record } = await keys.create('app', ['messages'], { tenant: 'acme', limits: { burst: 5 } });
    expect(await keys.verify(key)).toMatchObject({ tenant: 'acme', limits: { burst: 5 } });
    const rotated = await keys.create('app-2', ['messages'], { tenant: 'acme' });
    expect(rotated.record.tenant).toBe('acme');

    expect((await keys.setLimits(record.id, { ratePerMinute: 30, maxInFlight: 4 })).limits).toEqual({
      ratePerMinute: 30,
      burst: 5,
      maxInFlight: 4,
    });
    expect((await keys.setLimits(key, { burst: null })).limits).toEqual({
      ratePerMinute: 30,
      maxInFlight: 4,
    });
    expect((await keys.verify(key))?.limits).toEqual({ ratePerMinute: 30, maxInFlight: 4 });

    await expect(keys.create('x', ['messages'], { tenant: 'Acme Corp' })).rejects.toMatchObject({
      code: 'api_key_tenant',
    });
    await expect(keys.setLimits(record.id, { burst: 0 })).rejects.toMatchObject({
      message: 'burst must be a whole number from 1 to 100000, got 0',
    });
    await expect(keys.setLimits('ffffffffffff', { burst: 2 })).rejects.toMatchObject({
      message: 'no API key with id ffffffffffff; see `carrier keys list`',
    });
  });

  it('refuses a whole key with another secret, naming only the id, and revokes nothing', async () => {
    const { key, record } = await keys.create('a2');
    const wrong = key.slice(0, -4) + (key.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    for (const presented of [wrong, `ck_${record.id}_wrongsecret`, `${record.id}_notthesecret`]) {
      const error = await keys.revoke(presented).catch((e: Error) => e);
      expect(error).toMatchObject({
        name: 'ApiKeyError',
        message: expect.stringContaining(
          `not the key ${record.id} (its secret does not match); pass the key id alone to revoke key ${record.id}`,
        ),
      });
      expect((error as Error).message).not.toContain(presented.slice(presented.indexOf(record.id) + 13));
    }
    expect(await keys.verify(key)).toMatchObject({ keyId: record.id });
  });

  it('tells a repeat revocation from the first, keeping the first time, by id or by key', async () => {
    const { key, record } = await keys.create('a2');
    const first = await keys.revoke(key);
    expect(first).toMatchObject({ id: record.id, alreadyRevoked: false, revokedAt: expect.any(String) });
    expect(await keys.revoke(record.id)).toMatchObject({ alreadyRevoked: true, revokedAt: first.revokedAt });
    expect(await keys.revoke(key)).toMatchObject({ alreadyRevoked: true, revokedAt: first.revokedAt });
  });

  it('revoking by id does not mark the key used', async () => {
    const { record } = await keys.create('a2');
    expect((await keys.revoke(record.id)).lastUsedAt).toBeNull();
  });
});
