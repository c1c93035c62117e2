import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SqlApiKeyRepository } from '#core/adapters/store/api-keys.ts';
import { SqlMemoryRepository } from '#core/adapters/store/memories.ts';
import { SqlPostTenants } from '#core/adapters/store/post-tenants.ts';
import { SqlPostRepository } from '#core/adapters/store/posts.ts';
import { openContractStores, type ContractStores } from './support/contract-stores.ts';

let stores: ContractStores;
beforeAll(async () => {
  stores = await openContractStores();
}, 60_000);
afterAll(async () => {
  await stores?.close();
});

const fact = (userId: string | null, text: string) => ({
  agentId: 'ada',
  userId,
  roomId: userId,
  type: 'fact' as const,
  text,
});

describe.each(['pglite', 'postgres', 'supabase'] as const)('tenant scope contract: %s', (name) => {
  beforeEach(async () => {
    await stores.reset();
    await stores.db.exec('truncate post_tenants, posts cascade; delete from api_keys;');
  });

  it('searches and lists one tenant’s users and the shared memories, nobody else’s', async () => {
    const repo = new SqlMemoryRepository(stores.adapters[name]);
    await repo.insert([
      fact('api:acme:alice', 'alice keeps her bank PIN at 4921'),
      fact('api:acme2:alice', 'alice of acme2 keeps her bank PIN at 1111'),
      fact('api:globex:alice', 'alice of globex keeps her bank PIN at 2222'),
      fact('112233445566778899', 'the discord user keeps a bank PIN at 3333'),
      fact(null, 'banks ask for a PIN at the counter'),
    ]);
    const scope = { agentId: 'ada', userPrefix: 'api:acme:' };
    const found = await repo.searchWithin({ ...scope, query: 'bank PIN', limit: 10 });
    const listed = await repo.listWithin({ ...scope, limit: 10 });
    for (const rows of [found, listed]) {
      expect(rows.map((m) => m.text).sort()).toEqual([
        'alice keeps her bank PIN at 4921',
        'banks ask for a PIN at the counter',
      ]);
    }
  });

  it('keeps a key’s tenant and limits, and lists a tenant’s posts as posts', async () => {
    const keys = new SqlApiKeyRepository(stores.adapters[name]);
    const { key } = await keys.create('app', ['messages'], { tenant: 'acme', limits: { burst: 5 } });
    expect(await keys.verify(key)).toMatchObject({ tenant: 'acme', limits: { burst: 5 } });

    const posts = new SqlPostRepository(stores.adapters[name]);
    const tenants = new SqlPostTenants(stores.adapters[name]);
    const at = new Date('2030-01-01T00:00:00Z');
    const mine = await posts.create({
      characterId: 'ada',
      kind: 'image',
      media: [{ source: 'a' }],
      scheduledAt: at,
    });
    const theirs = await posts.create({
      characterId: 'ada',
      kind: 'image',
      media: [{ source: 'b' }],
      scheduledAt: at,
    });
    expect(await tenants.claim(mine.id, 'acme')).toBe('acme');
    expect(await tenants.claim(theirs.id, 'globex')).toBe('globex');
    // A second claim changes nothing: the first tenant keeps the post.
    expect(await tenants.claim(mine.id, 'globex')).toBe('acme');
    const listed = await tenants.list('acme');
    expect(listed.map((p) => p.id)).toEqual([mine.id]);
    expect(listed[0]?.scheduledAt.toISOString()).toBe(at.toISOString());
    expect(await tenants.ownerOf(theirs.id)).toBe('globex');
  });
});
