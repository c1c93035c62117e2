import { beforeEach, describe, expect, it } from 'vitest';
import { SqlApiKeyRepository } from '#core/adapters/store/api-keys.ts';
import type { ApiKeyRepository } from '#core/ports/api-keys.ts';
import { InMemoryApiKeyRepository } from '#test/fakes/in-memory-api-keys.ts';
import { SQL_ADAPTERS, useContractStores } from './support/contract-stores.ts';

const stores = useContractStores();

describe.each(['in-memory', ...SQL_ADAPTERS] as const)('revoking API keys: %s', (name) => {
  let keys: ApiKeyRepository;
  beforeEach(async () => {
    if (name === 'in-memory') {
      keys = new InMemoryApiKeyRepository();
      return;
    }
    await stores().reset();
    keys = new SqlApiKeyRepository(stores().adapters[name]);
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
