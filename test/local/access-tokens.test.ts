import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MCPServerStreamableHttp } from '@openai/agents';
import WebSocket from 'ws';
import { offlineModel } from '#core/adapters/models/offline.ts';
import { SqlApiKeyRepository } from '#core/adapters/store/api-keys.ts';
import type { PgliteStore } from '#core/adapters/store/pglite.ts';
import type { Scope } from '#core/ports/api-keys.ts';
import { startOidcIssuer, type OidcIssuerFake } from '#test/fakes/oidc-issuer.ts';
import { openMigratedPglite } from '#test/support/pglite.ts';
import { testSettings, testStack } from './support/stack.ts';

type Stack = Awaited<ReturnType<typeof testStack>>;
type Json = Record<string, unknown>;
type Memory = { text: string; userId: unknown };

const ALL: Scope[] = ['agents:read', 'messages', 'memories:read', 'memories:write'];
const SCOPES = 'carrier:chat carrier:memories';
let t: Stack;
let store: PgliteStore;
let issuer: OidcIssuerFake;
let alice: string;
let bob: string;
let acmeKey: string;
let globexKey: string;

beforeAll(async () => {
  issuer = await startOidcIssuer();
  store = await openMigratedPglite();
  // As `npm start` reads it from .env: one app (tenant acme) signing its users in at the issuer.
  const oidc = {
    app: {
      issuer: issuer.iss(),
      tenant: 'acme',
      audiences: ['carrier-api'],
      scopes: { 'carrier:chat': ['agents:read', 'messages'], 'carrier:memories': ['memories:read'] },
    },
  };
  // A slow refill, so each request shows in the buckets' RateLimit-Remaining.
  const settings = await testSettings({
    CARRIER_OIDC: JSON.stringify(oidc),
    CARRIER_KEY_RATE_PER_MINUTE: '1',
    CARRIER_KEY_BURST: '1000',
  });
  // The offline model answers from what recall found: a leak between users would show in replies.
  t = await testStack({ store, settings, model: () => offlineModel(), tick: false });
  alice = await issuer.token({ claims: { sub: 'alice', scope: SCOPES } });
  bob = await issuer.token({ claims: { sub: 'bob', scope: SCOPES } });
  const keys = new SqlApiKeyRepository(t.stack.store);
  acmeKey = (await keys.create('acme-server', ALL, { tenant: 'acme' })).key;
  globexKey = (await keys.create('globex-server', ALL, { tenant: 'globex' })).key;
});
afterAll(async () => {
  await t.stack.stop();
  await store.close();
  await issuer.close();
});

function call(credential: string, path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${t.stack.url}/v1${path}`, {
    ...init,
    headers: { authorization: `Bearer ${credential}`, 'content-type': 'application/json', ...init.headers },
  });
}

async function ask(credential: string, body: Json): Promise<Json> {
  const res = await call(credential, '/agents/ada/messages?wait=20', {
    method: 'POST',
    body: JSON.stringify(body),
  });
  return (await res.json()) as Json;
}

async function memories(credential: string, query: string): Promise<Memory[]> {
  const res = await call(credential, `/agents/ada/memories${query}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { memories: Memory[] }).memories;
}

const texts = (list: Memory[]) => list.map((m) => m.text).join('\n');

describe('signed-in users on the local stack', () => {
  it('keep their messages, memories and jobs to themselves: two users of one app never meet', async () => {
    const told = await ask(alice, { text: 'my bank PIN is 4921' });
    expect(told).toMatchObject({ status: 'done', userId: 'alice' });
    const probed = await ask(bob, { text: 'what is my bank PIN' });
    expect(probed).toMatchObject({ status: 'done', userId: 'bob' });
    expect(String(probed.reply)).not.toContain('4921');
    // Her own question is answered from her memory.
    expect(String((await ask(alice, { text: 'what is my bank PIN' })).reply)).toContain('4921');

    for (const query of ['', '?query=bank%20PIN']) {
      const his = await memories(bob, query);
      expect(texts(his), query).not.toContain('4921');
      expect(his.filter((m) => m.userId !== 'bob' && m.userId !== null)).toEqual([]);
      expect(texts(await memories(alice, query)), query).toContain('4921');
    }
    // bob cannot name alice, even in the same conversation id.
    expect((await call(bob, '/agents/ada/memories?userId=alice')).status).toBe(403);
    expect(
      String((await ask(bob, { text: 'what is my bank PIN', conversationId: 'user:alice' })).reply),
    ).not.toContain('4921');
    const job = await call(bob, `/jobs/${String(told.id)}`);
    expect(job.status).toBe(404);
    expect((await call(alice, `/jobs/${String(told.id)}`)).status).toBe(200);
  });

  it('and an API key of another tenant cannot see them, nor they it', async () => {
    const theirs = await ask(globexKey, { userId: 'alice', text: 'what is my bank PIN' });
    expect(String(theirs.reply)).not.toContain('4921');
    expect(texts(await memories(globexKey, '?query=PIN'))).not.toContain('4921');
    expect(texts(await memories(globexKey, '?userId=oidc:app:alice'))).not.toContain('4921');
    const mine = await ask(alice, { text: 'hello again' });
    expect((await call(globexKey, `/jobs/${String(mine.id)}`)).status).toBe(404);
    expect((await call(alice, `/jobs/${String(theirs.id)}`)).status).toBe(404);
  });

  it('are reached by their app’s own API key (same tenant) as oidc:<issuer>:<sub>', async () => {
    const hers = await memories(acmeKey, '?userId=oidc:app:alice&query=PIN');
    expect(texts(hers)).toContain('4921');
    expect(hers.every((m) => m.userId === 'oidc:app:alice' || m.userId === null)).toBe(true);
  });

  it('see only their own memories over MCP, and cannot name another user there either', async () => {
    const server = new MCPServerStreamableHttp({
      name: 'carrier-memory-bob',
      url: `${t.stack.url}/v1/agents/ada/mcp`,
      requestInit: { headers: { authorization: `Bearer ${bob}` } },
    });
    await server.connect();
    try {
      const recent = await server.callTool('list_recent', { limit: 50 });
      const text = JSON.stringify(recent);
      expect(text).not.toContain('4921');
      expect(text).toContain('bob');
      const named = await server.callTool('search_memories', { query: 'PIN', userId: 'alice' });
      expect(JSON.stringify(named)).toContain('acts only as itself');
    } finally {
      await server.close();
    }
  });

  it('have a rate bucket each, apart from each other’s and their app’s key', async () => {
    const remaining = async (credential: string) =>
      Number((await call(credential, '/agents')).headers.get('ratelimit-remaining'));
    const bobs = await remaining(bob);
    await remaining(alice);
    await remaining(acmeKey);
    expect(await remaining(bob)).toBe(bobs - 1);
  });

  it('use the WebSocket with the same token; a bad token is refused with 401 before the upgrade', async () => {
    const url = `${t.stack.url.replace('http', 'ws')}/v1/ws`;
    const expired = await issuer.token({ claims: { exp: Math.floor(Date.now() / 1000) - 60 } });
    const refused = await new Promise<number>((resolve) => {
      const ws = new WebSocket(url, { headers: { authorization: `Bearer ${expired}` } });
      ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.once('open', () => resolve(101));
    });
    expect(refused).toBe(401);

    const ws = new WebSocket(url, { headers: { authorization: `Bearer ${bob}` } });
    const done = new Promise<Json>((resolve, reject) => {
      ws.on('message', (raw) => {
        const frame = JSON.parse(String(raw)) as Json;
        if (frame.kind === 'done' || frame.type === 'error') resolve(frame);
      });
      ws.once('error', reject);
    });
    await new Promise((resolve) => ws.once('open', resolve));
    ws.send(JSON.stringify({ action: 'message', agent: 'ada', body: { text: 'what is my bank PIN' } }));
    const frame = await done;
    ws.close();
    expect(frame).toMatchObject({ type: 'event', kind: 'done', data: { text: expect.any(String) } });
    // The reply, not the whole frame: its random job id may hold the PIN's digits.
    expect(JSON.stringify(frame.data)).not.toContain('4921');
    await t.stack.queue.idle();
    expect(await (await call(bob, `/jobs/${String(frame.jobId)}`)).json()).toMatchObject({ userId: 'bob' });
    expect((await call(alice, `/jobs/${String(frame.jobId)}`)).status).toBe(404);
  });
});
