import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { pinnedFetch } from '#core/adapters/http/pinned-fetch.ts';
import { accessTokenVerifier, looksLikeJwt } from '#core/api/access-tokens.ts';
import { withAccessTokens } from '#core/api/auth.ts';
import type { MemoryAdmin } from '#core/api/deps.ts';
import { oidcSchema } from '#core/api/oidc-config.ts';
import { ConfigError } from '#core/errors.ts';
import { accessTokens } from '#core/wiring/access-tokens.ts';
import {
  publicKeyAsSecretToken,
  startOidcIssuer,
  unsignedToken,
  type OidcIssuerFake,
} from '#test/fakes/oidc-issuer.ts';
import { useApiFixture } from './support/api-fixture.ts';
import { authed } from './support/harness.ts';

const api = useApiFixture();
let issuer: OidcIssuerFake;
let app: ReturnType<typeof api.appWith>;
/** What the memory routes asked the store for: the stored ids show whose memories they reach. */
const searched: unknown[] = [];
const forgotten: unknown[] = [];
const memories: MemoryAdmin = {
  search: async (q) => (searched.push(q), []),
  forget: async (q) => (forgotten.push(q), { deleted: 0 }),
  addFact: async () => ({ id: 'f1', outcome: 'added' }),
};
const CHAT = 'carrier:chat carrier:memories';
const ALICE = 'api:acme:oidc:app:alice';

beforeAll(async () => {
  issuer = await startOidcIssuer();
  const config = oidcSchema.parse({
    app: {
      issuer: issuer.iss('/app'),
      tenant: 'acme',
      audiences: ['carrier-api'],
      scopes: {
        'carrier:chat': ['agents:read', 'messages'],
        'carrier:memories': ['memories:read', 'memories:write'],
      },
    },
    // Cognito's shape: access tokens carry client_id and token_use, and no aud.
    pool: {
      issuer: issuer.iss('/pool'),
      tenant: 'acme',
      audiences: ['client-123'],
      defaultScopes: ['agents:read'],
    },
    gone: {
      issuer: issuer.iss('/gone'),
      jwksUri: `${issuer.origin}/gone/keys`,
      tenant: 'acme',
      audiences: ['x'],
      defaultScopes: ['agents:read'],
    },
  });
  const verify = accessTokenVerifier(config, { fetch: pinnedFetch({ reach: 'loopback' }) });
  app = api.appWith({
    authenticate: withAccessTokens(verify, (k) => api.h.keys.verify(k)),
    memories,
    waitPollMs: 10,
  });
});
afterAll(() => issuer.close());
afterEach(() => vi.useRealTimers());

const now = () => Math.floor(Date.now() / 1000);
const call = (token: string, path: string, init: RequestInit = {}) =>
  app.request(`/v1${path}`, authed(token, init));
const send = (token: string, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  call(token, '/agents/ada/messages?wait=5', { method: 'POST', body: JSON.stringify(body), headers });

describe('OIDC access tokens beside API keys', () => {
  it('answer a signed-in user as its sub, and its job is its own', async () => {
    const token = await issuer.token({ claims: { scope: CHAT } });
    const res = await send(token, { text: 'hello' });
    expect(res.status).toBe(200);
    const job = (await res.json()) as Record<string, unknown>;
    expect(job).toMatchObject({ status: 'done', userId: 'alice', conversationId: 'user:alice' });
    expect((await api.h.turns.get(String(job.id)))?.user_id).toBe(ALICE);
    expect(await (await call(token, `/jobs/${String(job.id)}`)).json()).toMatchObject({
      id: job.id,
      userId: 'alice',
    });

    // bob of the same app cannot read alice's job; an API key of another tenant neither.
    const bob = await issuer.token({ claims: { sub: 'bob', scope: CHAT } });
    const other = await call(bob, `/jobs/${String(job.id)}`);
    expect(other.status).toBe(404);
    expect(await other.json()).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
    expect((await api.post({ text: 'x' })).status).toBe(202);
    expect((await call(api.key, `/jobs/${String(job.id)}`)).status).toBe(404);
  });

  it('keep API keys working on the same routes, a key with dots in it too', async () => {
    expect((await call(api.key, '/agents')).status).toBe(200);
    expect(looksLikeJwt('my.own.devkey')).toBe(false);
    expect(looksLikeJwt(await issuer.token())).toBe(true);
  });

  it('accept a Cognito access token by its client_id, with the issuer’s default scopes', async () => {
    const token = await issuer.token({
      path: '/pool',
      claims: {
        aud: undefined,
        client_id: 'client-123',
        token_use: 'access',
        scope: 'aws.cognito.signin.user.admin',
      },
    });
    expect((await call(token, '/agents')).status).toBe(200);
    const res = await send(token, { text: 'hi' });
    expect(res.status).toBe(403);
  });

  const negatives: Array<[string, () => Promise<string>, RegExp]> = [
    [
      'a wrong issuer',
      () => issuer.token({ claims: { iss: 'https://login.example/app' } }),
      /issuer is not one/,
    ],
    ['a wrong audience', () => issuer.token({ claims: { aud: 'another-api' } }), /not meant for this API/],
    ['an expired token', () => issuer.token({ claims: { iat: now() - 700, exp: now() - 60 } }), /expired/],
    ['a token not valid yet', () => issuer.token({ claims: { nbf: now() + 120 } }), /not valid yet/],
    ['a token without exp', () => issuer.token({ claims: { exp: undefined } }), /exp claim is missing/],
    [
      'a Cognito ID token',
      () => issuer.token({ path: '/pool', claims: { aud: 'client-123', token_use: 'id' } }),
      /Cognito id token/,
    ],
    [
      'an OIDC ID token (nonce)',
      () => issuer.token({ claims: { nonce: 'n-1' } }),
      /ID token \(it carries nonce\)/,
    ],
    ['an OIDC ID token (at_hash)', () => issuer.token({ claims: { at_hash: 'x' } }), /ID token/],
    [
      'a token typed as something else',
      () => issuer.token({ header: { typ: 'logout+jwt' } }),
      /typed logout\+jwt/,
    ],
    [
      'alg none',
      async () => unsignedToken({ iss: issuer.iss(), aud: 'carrier-api', sub: 'alice', exp: now() + 600 }),
      /algorithm/,
    ],
    [
      'HS256 with the public key as the secret',
      () =>
        publicKeyAsSecretToken(
          issuer.currentKey.publicPem,
          { iss: issuer.iss(), aud: 'carrier-api', sub: 'alice', exp: now() + 600, scope: CHAT },
          issuer.currentKey.kid,
        ),
      /algorithm/,
    ],
    [
      'a signature by another key under a known kid',
      async () =>
        issuer.token({ key: { ...(await issuer.unpublishedKey('k1')), kid: issuer.currentKey.kid } }),
      /signature does not verify/,
    ],
    ['a JWT-shaped string that is not one', async () => 'aaa.bbb.ccc', /API key is unknown/],
    [
      'a JWT whose claims are not JSON',
      async () => `${(await issuer.token()).split('.')[0]}.bm90IGpzb24.x`,
      /neither an API key nor a JWT/,
    ],
  ];

  it.each(negatives)('refuse %s with 401 in the one error shape', async (_, mint, message) => {
    const res = await send(await mint(), { text: 'let me in' });
    expect(res.status).toBe(401);
    const body = (await res.json()) as { error: { message: string } };
    expect(body).toEqual({ error: { code: 'unauthenticated', message: expect.stringMatching(message) } });
  });

  it('refuse a route whose scope the token lacks with 403 naming the scope', async () => {
    const chat = await issuer.token({ claims: { scope: 'carrier:chat' } });
    const res = await call(chat, '/agents/ada/memories');
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({
      error: { code: 'forbidden', message: expect.stringContaining('grants no "memories:read" scope') },
    });
    const none = await issuer.token();
    expect((await call(none, '/agents')).status).toBe(403);
  });

  it('never let a sub act as another user, nor point webhooks anywhere', async () => {
    const token = await issuer.token({ claims: { scope: CHAT } });
    const res = await send(token, { text: 'I am bob', userId: 'bob' });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({
      error: {
        code: 'forbidden',
        message: expect.stringContaining('acts only as itself'),
        details: [{ path: 'body.userId', message: expect.any(String) }],
      },
    });
    expect((await send(token, { text: 'I am alice', userId: 'alice' })).status).toBe(200);
    expect((await call(token, '/agents/ada/memories?userId=bob')).status).toBe(403);
    expect((await call(token, '/agents/ada/memories?userId=bob', { method: 'DELETE' })).status).toBe(403);
    const hook = await send(token, { text: 'tell me', webhookUrl: 'http://127.0.0.1:9/hook' });
    expect(hook.status).toBe(403);
  });

  it('read and forget only the sub’s own memories, in its own rooms', async () => {
    searched.length = 0;
    const token = await issuer.token({ claims: { scope: CHAT } });
    expect((await call(token, '/agents/ada/memories?query=pin')).status).toBe(200);
    expect((await call(token, '/agents/ada/memories?roomId=trip')).status).toBe(200);
    expect((await call(token, '/agents/ada/memories?userId=alice', { method: 'DELETE' })).status).toBe(200);
    expect(searched).toEqual([
      { agentId: 'ada', query: 'pin', userId: ALICE, limit: 20 },
      { agentId: 'ada', userId: ALICE, roomId: `${ALICE}:trip`, limit: 20 },
    ]);
    expect(forgotten).toEqual([{ agentId: 'ada', userId: ALICE }]);
  });

  it('give two users of one app their own Idempotency-Key space', async () => {
    const headers = { 'idempotency-key': 'order-7' };
    const alice = await issuer.token({ claims: { scope: CHAT } });
    const bob = await issuer.token({ claims: { sub: 'bob', scope: CHAT } });
    const a = (await (await send(alice, { text: 'same text' }, headers)).json()) as { id: string };
    const b = (await (await send(bob, { text: 'same text' }, headers)).json()) as {
      id: string;
      userId: string;
    };
    expect(b.id).not.toBe(a.id);
    expect(b.userId).toBe('bob');
  });

  it('fetch the keys again for an unknown kid, at most once per cooldown, so a rotated key works', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    expect((await call(await issuer.token({ claims: { scope: CHAT } }), '/agents')).status).toBe(200);
    const fetched = issuer.fetches;
    await issuer.rotate('k2');
    const rotated = await issuer.token({ claims: { scope: CHAT } });
    // Within 30 s of the last fetch an unknown kid is refused without a fetch: a flood of made-up
    // kids cannot make the API hammer the issuer.
    const early = await call(rotated, '/agents');
    expect(early.status).toBe(401);
    expect(await early.json()).toMatchObject({
      error: { message: expect.stringContaining('matches the token') },
    });
    expect(issuer.fetches).toBe(fetched);
    vi.setSystemTime(Date.now() + 31_000);
    expect((await call(await issuer.token({ claims: { scope: CHAT } }), '/agents')).status).toBe(200);
    expect(issuer.fetches).toBe(fetched + 1);
  });

  it('answer 503 when the issuer’s keys cannot be fetched', async () => {
    const res = await call(await issuer.token({ path: '/gone', claims: { aud: 'x' } }), '/agents');
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ error: { code: 'issuer_unavailable', message: expect.any(String) } });
  });
});

describe('CARRIER_OIDC at start-up', () => {
  const entry = {
    issuer: 'https://login.example/',
    tenant: 'acme',
    audiences: ['carrier-api'],
    defaultScopes: ['messages'],
  };
  const start = (oidc: unknown, deployed = true, env: Record<string, string> = {}) =>
    accessTokens(
      { CARRIER_OIDC: typeof oidc === 'string' ? oidc : JSON.stringify(oidc), ...env },
      { deployed },
    );

  it('turns tokens off when unset or empty, and on for a valid issuer', () => {
    expect(accessTokens({}, { deployed: true })).toBeUndefined();
    expect(start({})).toBeUndefined();
    expect(start({ app: entry })).toBeTypeOf('function');
  });

  it('stops the start with one line per problem', () => {
    const error = (() => {
      try {
        start({ app: { ...entry, audiences: [], defaultScopes: ['usage:read'] } });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message.split('\n')).toEqual([
      expect.stringMatching(/^CARRIER_OIDC: app.audiences: list at least one audience/),
      expect.stringMatching(/^CARRIER_OIDC: app.defaultScopes\[0\]: .* stay with API keys$/),
    ]);
    expect(() => start('{not json')).toThrow(/CARRIER_OIDC: not valid JSON/);
  });

  it('deployed, refuses an issuer off the public internet unless the tests’ loopback flag is set', () => {
    const local = { app: { ...entry, issuer: 'http://127.0.0.1:9/app' } };
    expect(() => start(local)).toThrow('CARRIER_OIDC: app.issuer: http://127.0.0.1:9/app is not https');
    expect(start(local, true, { CARRIER_OUTBOUND_LOOPBACK: 'allow' })).toBeTypeOf('function');
    expect(start(local, false)).toBeTypeOf('function');
  });
});
