import { beforeEach, describe, expect, it, vi } from 'vitest';
import { SqlMemoryRepository } from '#core/adapters/store/memories.ts';
import { memoryAdmin } from '#core/memory/memory-admin.ts';
import { StoreMemory } from '#core/memory/store-memory.ts';
import type { RecalledMemory } from '#core/ports/memory.ts';
import { emptyTables, useMigratedPglite } from '#test/support/pglite.ts';
import { useApiFixture } from './support/api-fixture.ts';
import { apiHarness, authed } from './support/harness.ts';

const api = useApiFixture();
// The memory tables themselves, for the tests that search and forget through them.
const store = useMigratedPglite();
beforeEach(() => emptyTables(store()));

describe('API memories', () => {
  it('does not let a key created with the default scopes read memories', async () => {
    const created = await api.h.keys.create('defaults');
    expect(created.record.scopes).toEqual(['agents:read', 'messages']);
    const res = await api.h.app.request('/v1/agents/ada/memories', authed(created.key));
    expect(res.status).toBe(403);
  });

  it('answers 501 when no memory store is configured', async () => {
    const res = await api.h.app.request('/v1/agents/ada/memories', authed(api.key));
    expect(res.status).toBe(501);
  });

  it('passes the filters to the memory store and returns its memories with scores', async () => {
    const memory: RecalledMemory = {
      id: 'm1',
      type: 'fact',
      text: 'Sam likes teal',
      createdAt: '2025-01-01T00:00:00.000Z',
      score: 0.5,
      why: { fullText: 0.5 },
      metadata: {},
    };
    const calls: unknown[] = [];
    const app = api.appWith({
      memories: {
        search: async (q) => {
          calls.push(q);
          return [memory];
        },
        forget: async () => ({ deleted: 3 }),
        addFact: async () => ({ id: 'f1', outcome: 'added' }),
      },
    });
    const res = await app.request(
      '/v1/agents/ada/memories?query=colour&userId=sam&type=fact&limit=5',
      authed(api.key),
    );
    // A memory without a user (shared) shows null ids; the caller's own ids are stored in its tenant.
    expect(await res.json()).toEqual({
      memories: [{ ...memory, userId: null, roomId: null }],
    });
    const tenant = (await api.h.keys.verify(api.key))!.tenant;
    expect(calls).toEqual([
      { agentId: 'ada', query: 'colour', userId: `api:${tenant}:sam`, type: 'fact', limit: 5 },
    ]);
    const forbidden = await app.request(
      '/v1/agents/ada/memories?userId=sam',
      authed(api.key, { method: 'DELETE' }),
    );
    expect(forbidden.status).toBe(403);
    const admin = (await api.h.keys.create('admin', ['*'])).key;
    const missing = await app.request('/v1/agents/ada/memories', authed(admin, { method: 'DELETE' }));
    expect(await missing.json()).toMatchObject({ error: { details: [{ path: 'query.userId' }] } });
    const done = await app.request('/v1/agents/ada/memories?userId=sam', authed(admin, { method: 'DELETE' }));
    expect(await done.json()).toEqual({ deleted: 3 });
  });
});

describe('API memories over the memory tables', () => {
  it('searches an agent’s memories with scores and forgets a user', async () => {
    const repository = new SqlMemoryRepository(store());
    await repository.insert([
      {
        agentId: 'ada',
        userId: 'api:acme:sam',
        roomId: 'api:acme:r1',
        type: 'fact',
        text: 'Sam’s favourite colour is teal',
      },
      {
        agentId: 'ada',
        userId: 'api:acme:kim',
        roomId: 'api:acme:r2',
        type: 'fact',
        text: 'Kim’s favourite colour is red',
      },
      {
        agentId: 'juniper',
        userId: 'api:acme:sam',
        roomId: 'api:acme:r1',
        type: 'fact',
        text: 'Sam likes teal tea',
      },
    ]);
    const admin = (await api.h.keys.create('memories', ['*'], { tenant: 'acme' })).key;
    const app = api.appWith({
      memories: memoryAdmin(repository),
    });

    const found = (await (
      await app.request('/v1/agents/ada/memories?query=teal%20colour', authed(admin))
    ).json()) as {
      memories: RecalledMemory[];
    };
    expect(found.memories[0]).toMatchObject({
      text: 'Sam’s favourite colour is teal',
      userId: 'sam',
      roomId: 'r1',
      type: 'fact',
    });
    expect(found.memories[0]?.id).toEqual(expect.any(String));
    expect(found.memories[0]?.score).toBeGreaterThan(0);
    expect(found.memories.every((m) => !m.text.includes('tea '))).toBe(true);

    const kims = (await (await app.request('/v1/agents/ada/memories?userId=kim', authed(admin))).json()) as {
      memories: RecalledMemory[];
    };
    expect(kims.memories.map((m) => m.text)).toEqual(['Kim’s favourite colour is red']);

    const forgot = await app.request(
      '/v1/agents/ada/memories?userId=sam',
      authed(admin, { method: 'DELETE' }),
    );
    expect(await forgot.json()).toEqual({ deleted: 1 });
    const after = (await (await app.request('/v1/agents/ada/memories?userId=sam', authed(admin))).json()) as {
      memories: unknown[];
    };
    expect(after.memories).toEqual([]);
  });
});

describe('POST /v1/agents/{id}/memories', () => {
  it("adds a fact about the tenant's user once, with the key that told it, and names a bad field", async () => {
    const repository = new SqlMemoryRepository(store());
    const writer = await api.h.keys.create('writer', ['memories:read', 'memories:write'], { tenant: 'acme' });
    const app = api.appWith({ memories: memoryAdmin(repository) });
    const add = (body: unknown, key = writer.key) =>
      app.request('/v1/agents/ada/memories', authed(key, { method: 'POST', body: JSON.stringify(body) }));

    const first = await add({ userId: 'sam', text: 'Sam keeps bees' });
    expect(first.status).toBe(201);
    expect(await first.json()).toEqual({ id: expect.any(String), outcome: 'added' });
    expect(await (await add({ userId: 'sam', text: 'Sam keeps bees' })).json()).toMatchObject({
      outcome: 'duplicate',
    });
    const facts = await repository.facts('ada', 'api:acme:sam');
    expect(facts.map((f) => f.text)).toEqual(['Sam keeps bees']);

    const bad = await add({ userId: 'sam', text: ' ' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { details: [{ path: 'body.text' }] } });
    expect((await add({ userId: 'sam', text: 'x' }, api.key)).status).toBe(403);
  });
});

describe('API ids and Discord ids', () => {
  const snowflake = '112233445566778899';
  const channel = '998877665544332211';

  it('recalls nothing of a Discord user for an API message that names their user and channel ids', async () => {
    const hs = await apiHarness({}, new StoreMemory(new SqlMemoryRepository(store())));
    try {
      await new SqlMemoryRepository(store()).insert([
        {
          agentId: 'ada',
          userId: snowflake,
          roomId: channel,
          type: 'fact',
          text: 'their locker code is 4242',
        },
        {
          agentId: 'ada',
          userId: snowflake,
          roomId: channel,
          type: 'message',
          text: 'my locker code is 4242',
        },
      ]);
      const recall = vi.spyOn(hs.memory, 'recall');
      const k = (await hs.keys.create('impostor', ['messages'])).key;

      const res = await hs.app.request(
        '/v1/agents/ada/messages?wait=10',
        authed(k, {
          method: 'POST',
          body: JSON.stringify({
            text: 'what is my locker code',
            userId: snowflake,
            conversationId: channel,
          }),
        }),
      );

      expect(await res.json()).toMatchObject({ status: 'done', userId: snowflake, conversationId: channel });
      const recollection = await recall.mock.results[0]?.value;
      expect(recollection).toEqual({ recent: [], memories: [] });
    } finally {
      await hs.close();
    }
  });
});
