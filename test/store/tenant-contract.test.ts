import { beforeEach, describe, expect, it } from 'vitest';
import { SqlMemoryRepository } from '#core/adapters/store/memories.ts';
import { SqlPostTenants } from '#core/adapters/store/post-tenants.ts';
import { SqlPostRepository } from '#core/adapters/store/posts.ts';
import type { PostRepository } from '#core/instagram/post-repository.ts';
import type { PostTenants } from '#core/instagram/post-tenants.ts';
import { InMemoryPostRepository } from '#test/fakes/in-memory-posts.ts';
import { InMemoryPostTenants } from '#test/fakes/in-memory-post-tenants.ts';
import { SQL_ADAPTERS, useContractStores } from './support/contract-stores.ts';

const stores = useContractStores();

const fact = (userId: string | null, text: string) => ({
  agentId: 'ada',
  userId,
  roomId: userId,
  type: 'fact' as const,
  text,
});

// Memories have no in-memory repository: the tenant's scope is the SQL's (memory_*_within).
describe.each(SQL_ADAPTERS)('tenant memory scope contract: %s', (name) => {
  beforeEach(() => stores().reset());

  it('searches and lists one tenant’s users and the shared memories, nobody else’s', async () => {
    const repo = new SqlMemoryRepository(stores().adapters[name]);
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
});

describe.each(['in-memory', ...SQL_ADAPTERS] as const)('post tenants store contract: %s', (name) => {
  let posts: PostRepository;
  let tenants: PostTenants;
  beforeEach(async () => {
    if (name === 'in-memory') {
      posts = new InMemoryPostRepository();
      tenants = new InMemoryPostTenants(posts);
      return;
    }
    await stores().reset();
    posts = new SqlPostRepository(stores().adapters[name]);
    tenants = new SqlPostTenants(stores().adapters[name]);
  });

  it('gives a post to the first tenant that claims it, and lists a tenant’s own posts newest schedule first', async () => {
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
    expect(await tenants.ownerOf('no-such-post')).toBeUndefined();

    const later = await posts.create({
      characterId: 'bob',
      kind: 'image',
      media: [{ source: 'c' }],
      scheduledAt: new Date('2030-02-01T00:00:00Z'),
    });
    await tenants.claim(later.id, 'acme');
    expect((await tenants.list('acme')).map((p) => p.id)).toEqual([later.id, mine.id]);
    expect((await tenants.list('acme', { characterId: 'ada' })).map((p) => p.id)).toEqual([mine.id]);
    expect((await tenants.list('acme', { limit: 1, offset: 1 })).map((p) => p.id)).toEqual([mine.id]);
    expect(await tenants.list('acme', { state: 'published' })).toEqual([]);
  });
});
