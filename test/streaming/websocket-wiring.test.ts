import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManagementApiPush } from '#core/adapters/websocket/management-api.ts';
import { SqlApiKeyRepository } from '#core/adapters/store/api-keys.ts';
import type { PgliteStore } from '#core/adapters/store/pglite.ts';
import { pinnedFetch } from '#core/adapters/http/pinned-fetch.ts';
import { accessTokenVerifier } from '#core/api/access-tokens.ts';
import { withAccessTokens } from '#core/api/auth.ts';
import { oidcSchema } from '#core/api/oidc-config.ts';
import { handleWsEvent, type WsDeps } from '#core/api/ws-session.ts';
import type { TurnRequest } from '#core/ports/turn-request.ts';
import { createWebSocket, webSocketDeps } from '#core/wiring/websocket.ts';
import { FakeManagementApi } from '#test/fakes/management-api.ts';
import { startOidcIssuer } from '#test/fakes/oidc-issuer.ts';
import { openMigratedPglite } from '#test/support/pglite.ts';
import { testSettings } from '../local/support/stack.ts';

let store: PgliteStore;
let api: FakeManagementApi;
let deps: WsDeps;
const queued: TurnRequest[] = [];
beforeAll(async () => {
  store = await openMigratedPglite();
  api = await FakeManagementApi.start();
  deps = webSocketDeps({
    store,
    queue: { enqueue: async (request) => void queued.push(request) },
    characters: ['ada'],
    push: new ManagementApiPush({ endpoint: api.endpoint, client: api.client() }),
  });
});
afterAll(async () => {
  await api.close();
  await store.close();
});

const ws = (route: string, connectionId: string, extra: { key?: string; body?: string } = {}) =>
  handleWsEvent({ route, connectionId, ...extra }, deps);

describe('the WebSocket function wired over Postgres (migration 0059)', () => {
  it('connects with a stored key, queues a message as that key, and keeps other tenants out of its job', async () => {
    const keys = new SqlApiKeyRepository(store);
    const alpha = (await keys.create('alpha', ['messages'], { tenant: 'alpha' })).key;
    const beta = (await keys.create('beta', ['messages'], { tenant: 'beta' })).key;
    expect((await ws('$connect', 'A=', { key: alpha })).statusCode).toBe(200);
    expect((await ws('$connect', 'B=', { key: beta })).statusCode).toBe(200);
    expect((await ws('$connect', 'X=', { key: `${alpha}x` })).statusCode).toBe(401);
    api.connect('A=');
    api.connect('B=');

    await ws('message', 'A=', {
      body: JSON.stringify({ action: 'message', agent: 'ada', body: { text: 'hi' } }),
    });
    const [answer] = api.received('A=');
    expect(answer).toMatchObject({ type: 'queued' });
    const jobId = (answer as { jobId: string }).jobId;
    expect(queued.map((r) => r.id)).toEqual([jobId]);
    expect(queued[0]!.user.id).toMatch(/^api:alpha:/);

    await ws('subscribe', 'B=', { body: JSON.stringify({ action: 'subscribe', jobId }) });
    expect(api.received('B=')).toMatchObject([{ type: 'error', status: 404 }]);
    await ws('message', 'B=', {
      body: JSON.stringify({ action: 'message', agent: 'nobody', body: { text: 'hi' } }),
    });
    expect(api.received('B=')[1]).toMatchObject({ type: 'error', status: 404 });

    // A key revoked while connected: its connection stops working at once.
    await keys.revoke(beta);
    await ws('subscribe', 'B=', { body: JSON.stringify({ action: 'subscribe', jobId }) });
    expect(api.received('B=').at(-1)).toMatchObject({ type: 'error', status: 401 });

    await ws('$disconnect', 'A=');
    await ws('message', 'A=', { body: '{}' });
    expect(api.received('A=').at(-1)).toMatchObject({ type: 'error', status: 401 });
  });

  it('connects a signed-in user with its access token, and its frames act as that user alone', async () => {
    const issuer = await startOidcIssuer();
    try {
      const config = oidcSchema.parse({
        app: {
          issuer: issuer.iss('/app'),
          tenant: 'acme',
          audiences: ['carrier-api'],
          defaultScopes: ['messages'],
        },
      });
      const keys = new SqlApiKeyRepository(store);
      const verify = accessTokenVerifier(config, { fetch: pinnedFetch({ reach: 'loopback' }) });
      const signedIn = webSocketDeps({
        store,
        queue: { enqueue: async (request) => void queued.push(request) },
        characters: ['ada'],
        push: new ManagementApiPush({ endpoint: api.endpoint, client: api.client() }),
        authenticate: withAccessTokens(verify, (key) => keys.verify(key)),
      });
      const token = await issuer.token({ path: '/app', claims: { aud: 'carrier-api', sub: 'alice' } });
      const connect = await handleWsEvent({ route: '$connect', connectionId: 'J=', key: token }, signedIn);
      expect(connect.statusCode).toBe(200);
      api.connect('J=');
      const say = (body: Record<string, unknown>) =>
        handleWsEvent(
          {
            route: 'message',
            connectionId: 'J=',
            body: JSON.stringify({ action: 'message', agent: 'ada', body }),
          },
          signedIn,
        );
      await say({ text: 'I am bob', userId: 'bob' });
      expect(api.received('J=').at(-1)).toMatchObject({ type: 'error', status: 403 });
      await say({ text: 'hi' });
      expect(api.received('J=').at(-1)).toMatchObject({ type: 'queued' });
      expect(queued.at(-1)!.user.id).toBe('api:acme:oidc:app:alice');
    } finally {
      await issuer.close();
    }
  });

  it('refuses to start without the callback URL, naming the variable', async () => {
    const settings = await testSettings({ TURN_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/1/q.fifo' });
    await expect(createWebSocket(settings, console)).rejects.toThrow(/CARRIER_WS_CALLBACK_URL/);
  });
});
