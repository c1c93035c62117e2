import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { offlineModel } from '#core/adapters/models/offline.ts';
import { SqlApiKeyRepository } from '#core/adapters/store/api-keys.ts';
import type { PgliteStore } from '#core/adapters/store/pglite.ts';
import type { Scope } from '#core/ports/api-keys.ts';
import { openMigratedPglite } from '#test/support/pglite.ts';
import { testStack } from './support/stack.ts';

type Stack = Awaited<ReturnType<typeof testStack>>;
type Json = Record<string, unknown>;

const ALL: Scope[] = ['agents:read', 'messages', 'memories:read', 'memories:write', 'posts'];
let t: Stack;
let store: PgliteStore;
let acme: string;
let globex: string;

beforeAll(async () => {
  // The offline model answers from what recall found: a leak between tenants would show in replies.
  store = await openMigratedPglite();
  t = await testStack({ store, model: () => offlineModel(), tick: false });
  const keys = new SqlApiKeyRepository(t.stack.store);
  acme = (await keys.create('acme-app', ALL, { tenant: 'acme' })).key;
  globex = (await keys.create('globex-app', ALL, { tenant: 'globex' })).key;
});
afterAll(async () => {
  await t.stack.stop();
  await store.close();
});

function call(key: string, path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${t.stack.url}/v1${path}`, {
    ...init,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...init.headers },
  });
}

async function ask(key: string, body: Json, headers: Record<string, string> = {}): Promise<Json> {
  const res = await call(key, '/agents/ada/messages?wait=20', {
    method: 'POST',
    body: JSON.stringify(body),
    headers,
  });
  return (await res.json()) as Json;
}

async function memories(key: string, query: string): Promise<Array<{ text: string; userId: unknown }>> {
  const res = await call(key, `/agents/ada/memories${query}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { memories: Array<{ text: string; userId: unknown }> }).memories;
}

describe('two keys in two tenants on the local stack', () => {
  it('never recall, list, search or forget each other’s users, though both name them alice', async () => {
    const told = await ask(acme, { userId: 'alice', text: 'my bank PIN is 4921' });
    expect(told).toMatchObject({ status: 'done', userId: 'alice' });

    const probed = await ask(globex, { userId: 'alice', text: 'what is my bank PIN' });
    expect(probed).toMatchObject({ status: 'done', userId: 'alice' });
    expect(String(probed.reply)).not.toContain('4921');
    // The same question in the tenant alice used is answered from her memory.
    expect(String((await ask(acme, { userId: 'alice', text: 'what is my bank PIN' })).reply)).toContain(
      '4921',
    );

    for (const query of ['', '?userId=alice', '?query=bank%20PIN', '?query=PIN&userId=alice']) {
      const theirs = await memories(globex, query);
      expect(theirs.map((m) => m.text).join('\n'), query).not.toContain('4921');
      expect(theirs.filter((m) => m.userId !== 'alice' && m.userId !== null)).toEqual([]);
      expect((await memories(acme, query)).map((m) => m.text).join('\n'), query).toContain('4921');
    }

    const forgot = await call(globex, '/agents/ada/memories?userId=alice', { method: 'DELETE' });
    expect(forgot.status).toBe(200);
    expect((await memories(acme, '?userId=alice')).map((m) => m.text).join('\n')).toContain('4921');
    expect(await memories(globex, '?userId=alice')).toEqual([]);
  });

  it('hides each other’s jobs, and one Idempotency-Key names a job per tenant', async () => {
    const headers = { 'idempotency-key': 'order-1' };
    const a = await ask(acme, { userId: 'bob', text: 'first from acme' }, headers);
    const b = await ask(globex, { userId: 'bob', text: 'a different message from globex' }, headers);
    expect(a).toMatchObject({ status: 'done', reply: expect.stringContaining('(offline)') });
    expect(b).toMatchObject({ status: 'done' });
    expect(b.id).not.toBe(a.id);

    for (const [key, other] of [
      [globex, a.id],
      [acme, b.id],
      [t.stack.devApiKey, a.id],
    ] as const) {
      const res = await call(key, `/jobs/${String(other)}`);
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ error: { code: 'not_found' } });
    }
    // The resend in its own tenant still finds its own job.
    expect((await ask(acme, { userId: 'bob', text: 'first from acme' }, headers)).id).toBe(a.id);
  });

  it('keeps posts, their ids and their Idempotency-Keys within the tenant that queued them', async () => {
    const post = (key: string) =>
      call(key, '/posts', {
        method: 'POST',
        headers: { 'idempotency-key': 'launch' },
        body: JSON.stringify({
          character: 'juniper',
          media: ['https://cdn.example/mug.jpg'],
          caption: 'mugs',
          at: '2030-01-31T09:00:00Z',
        }),
      });
    const created = await post(acme);
    expect(created.status).toBe(201);
    const mine = (await created.json()) as { post: { id: string } };
    const theirs = (await (await post(globex)).json()) as { post: { id: string } };
    expect(theirs.post.id).not.toBe(mine.post.id);

    const listed = (await (await call(globex, '/posts')).json()) as { posts: Array<{ id: string }> };
    expect(listed.posts.map((p) => p.id)).toEqual([theirs.post.id]);
    expect((await call(globex, `/posts/${mine.post.id}`)).status).toBe(404);
    expect((await call(globex, `/posts/${mine.post.id}`, { method: 'DELETE' })).status).toBe(404);
    expect((await call(acme, `/posts/${mine.post.id}`)).status).toBe(200);
  });

  it('names the served agents in an unknown-agent 404 only to a key that may list them', async () => {
    const narrow = (await new SqlApiKeyRepository(t.stack.store).create('narrow', ['messages'])).key;
    const body = JSON.stringify({ text: 'hi' });
    const hidden = (await (
      await call(narrow, '/agents/nobody/messages', { method: 'POST', body })
    ).json()) as {
      error: { message: string };
    };
    expect(hidden.error.message).not.toContain('ada');
    const named = (await (await call(acme, '/agents/nobody/messages', { method: 'POST', body })).json()) as {
      error: { message: string };
    };
    expect(named.error.message).toContain('ada');
  });
});
