import { beforeEach, describe, expect, it } from 'vitest';
import { SqlLiveConnections } from '#core/adapters/store/live-connections.ts';
import type { Principal } from '#core/ports/api-keys.ts';
import type { LiveConnectionRepository } from '#core/ports/live-connections.ts';
import { InMemoryLiveConnections } from '#test/fakes/in-memory-live-connections.ts';
import { SQL_ADAPTERS, useContractStores } from './support/contract-stores.ts';

const stores = useContractStores();
const alpha: Principal = { keyId: 'k-alpha', tenant: 'alpha', scopes: ['messages'], limits: { burst: 3 } };
const beta: Principal = { keyId: 'k-beta', tenant: 'beta', scopes: ['*'] };

describe.each(['in-memory', ...SQL_ADAPTERS] as const)('live connections store contract: %s', (name) => {
  let connections: LiveConnectionRepository;
  beforeEach(async () => {
    if (name === 'in-memory') {
      connections = new InMemoryLiveConnections();
      return;
    }
    await stores().reset();
    connections = new SqlLiveConnections(stores().adapters[name]);
  });

  it('keeps who holds a connection until it closes, with its subscriptions', async () => {
    expect(await connections.open('c1=', alpha)).toBe(true);
    expect(await connections.principal('c1=')).toEqual(alpha);
    expect(await connections.subscribe('c1=', 'job-1')).toBe(true);
    expect(await connections.subscribe('c1=', 'job-1')).toBe(true);
    expect(await connections.subscribers('job-1')).toEqual(['c1=']);
    expect(await connections.close('c1=')).toBe(true);
    expect(await connections.close('c1=')).toBe(false);
    expect(await connections.principal('c1=')).toBeUndefined();
    expect(await connections.subscribers('job-1')).toEqual([]);
  });

  it("keeps a signed-in user's connection as that user, never as its app", async () => {
    const alice: Principal = {
      keyId: 'oidc:app:alice',
      tenant: 'alpha',
      scopes: ['messages'],
      subject: { issuer: 'app', sub: 'alice' },
    };
    await connections.open('c2=', alice);
    expect(await connections.principal('c2=')).toEqual(alice);
    await connections.open('c3=', alpha);
    expect(await connections.principal('c3=')).not.toHaveProperty('subject');
  });

  it("a connection id keeps its first owner; another tenant's open does not take it over", async () => {
    await connections.open('c1=', alpha);
    await connections.open('c1=', beta);
    expect((await connections.principal('c1='))?.tenant).toBe('alpha');
  });

  it('caps open connections per tenant, not across tenants', async () => {
    expect(await connections.open('a1', alpha, 2)).toBe(true);
    expect(await connections.open('a2', alpha, 2)).toBe(true);
    expect(await connections.open('a3', alpha, 2)).toBe(false);
    expect(await connections.principal('a3')).toBeUndefined();
    expect(await connections.open('b1', beta, 2)).toBe(true);
  });

  it('caps subscriptions per connection and refuses a closed connection', async () => {
    await connections.open('c1', alpha);
    expect(await connections.subscribe('c1', 'j1', 2)).toBe(true);
    expect(await connections.subscribe('c1', 'j2', 2)).toBe(true);
    expect(await connections.subscribe('c1', 'j3', 2)).toBe(false);
    expect(await connections.subscribe('gone', 'j1', 2)).toBe(false);
    expect(await connections.subscribers('j3')).toEqual([]);
  });

  it('ends every subscription to a turn whose stream ended', async () => {
    await connections.open('c1', alpha);
    await connections.open('c2', alpha);
    await connections.subscribe('c1', 'j1');
    await connections.subscribe('c2', 'j1');
    await connections.subscribe('c2', 'j2');
    expect(await connections.unsubscribeTurn('j1')).toBe(2);
    expect(await connections.subscribers('j1')).toEqual([]);
    expect(await connections.subscribers('j2')).toEqual(['c2']);
  });
});
