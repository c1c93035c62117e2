import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { APIGatewayProxyStructuredResultV2, SQSEvent } from 'aws-lambda';
import { expect, it, vi } from 'vitest';
import { SqlPostRepository } from '#core/adapters/store/posts.ts';
import type { TickReport } from '#core/instagram/tick.ts';
import type { TokenReport } from '#core/instagram/token-refresh.ts';
import { askInteraction, signedInteractionEvent } from '#test/factories/discord.ts';
import { startMediaHost } from '#test/fakes/ftp.ts';
import { startOidcIssuer } from '#test/fakes/oidc-issuer.ts';
import { startFakeGraphApi } from '#test/fakes/graph-api.ts';
import { makeImage } from '#test/media/support/fixtures.ts';
import { echoReply } from './peers/openai-echo.ts';
import { apiEvent, scheduledEvent } from './support/events.ts';
import { deployedSuite } from './support/suite.ts';

type HttpResult = APIGatewayProxyStructuredResultV2;
const body = (r: HttpResult) => JSON.parse(r.body ?? 'null') as Record<string, unknown>;
const until = { timeout: 60_000, interval: 50 };
/** Cold starts of several bundles per scenario: generous on a loaded two-core machine. */
const SCENARIO_MS = 120_000;

// Every scenario runs the assets `cdk deploy` uploads, each in its own Lambda-shaped process.
deployedSuite('the deployed assets', (env) => {
  it(
    'defers a signed /ask, queues it on SQS and answers it by editing @original',
    async () => {
      const d = env();
      const ask = askInteraction('what is a bundle?', { applicationId: d.discordApp.applicationId });
      const { result } = await d.fn.interactions.invoke<HttpResult>(
        signedInteractionEvent(d.discordApp, ask),
      );
      expect(result.statusCode).toBe(200);
      expect(body(result)).toMatchObject({ type: 5 });

      const source = d.runnerSource();
      source.start();
      await vi.waitFor(() => expect(d.discord.messagesFor(ask.token)).toHaveLength(1), until);
      await source.stop();
      expect(d.discord.messagesFor(ask.token)[0]).toMatchObject({
        kind: 'original',
        content: echoReply('what is a bundle?'),
      });
      const patch = d.discord.requests.find((r) => r.token === ask.token)!;
      expect(patch).toMatchObject({
        method: 'PATCH',
        route: `/webhooks/${d.discordApp.applicationId}/${ask.token}/messages/@original`,
      });
      expect(patch.body.allowed_mentions).toEqual({ parse: [] });
    },
    SCENARIO_MS,
  );

  it(
    'takes an API message as a job and returns its reply with ?wait',
    async () => {
      const d = env();
      const key = (await d.pg.cli(['keys', 'create', '--name', 'ci', '--scope', 'messages'])).trim();
      const source = d.runnerSource(undefined, d.apiTurns);
      source.start();
      const request = new Request('https://api.example/v1/agents/ada/messages?wait=8', {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ text: 'ping over the API', conversationId: 'deployed-1' }),
      });
      const { result } = await d.fn.api.invoke<HttpResult>(await apiEvent(request));
      await source.stop();
      expect(result.statusCode, d.fn.api.logs.join('\n')).toBe(200);
      expect(body(result)).toMatchObject({ status: 'done', reply: echoReply('ping over the API') });
    },
    SCENARIO_MS,
  );

  it(
    'serves the console from the API asset, following replies by long-poll behind API Gateway',
    async () => {
      const d = env();
      const get = async (path: string) =>
        (await d.fn.api.invoke<HttpResult>(await apiEvent(new Request(`https://api.example${path}`)))).result;
      const page = await get('/console');
      expect(page.statusCode, d.fn.api.logs.join('\n')).toBe(200);
      expect(page.headers).toMatchObject({
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': expect.stringContaining("connect-src 'self'"),
      });
      expect(page.body).toContain('<body data-live="poll">');
      for (const file of ['/console/app.js', '/console/views/chat.js', '/console/console.css']) {
        const asset = await get(file);
        expect(asset.statusCode, file).toBe(200);
        expect(asset.body!.length, file).toBeGreaterThan(100);
      }
      expect((await get('/console/index.mjs')).statusCode).toBe(404);
      expect((await get('/console/../config/mcp_servers.json')).statusCode).toBe(404);
    },
    SCENARIO_MS,
  );

  it(
    'verifies OIDC access tokens in the bundled API (jose on Node 24) against the issuer’s JWKS',
    async () => {
      const d = env();
      const issuer = await startOidcIssuer();
      try {
        const oidc = {
          app: {
            issuer: issuer.iss(),
            tenant: 'acme',
            audiences: ['carrier-api'],
            defaultScopes: ['agents:read'],
          },
        };
        // The template's issuer is public; this one listens on loopback, which a deployed function
        // reaches only with the flag these tests set.
        const api = d.variant('api', () => {}, {
          CARRIER_OIDC: JSON.stringify(oidc),
          CARRIER_OUTBOUND_LOOPBACK: 'allow',
        });
        const agents = async (token: string) => {
          const request = new Request('https://api.example/v1/agents', {
            headers: { authorization: `Bearer ${token}` },
          });
          return (await api.invoke<HttpResult>(await apiEvent(request))).result;
        };
        const ok = await agents(await issuer.token());
        expect(ok.statusCode, api.logs.join('\n')).toBe(200);
        const expired = await agents(
          await issuer.token({ claims: { exp: Math.floor(Date.now() / 1000) - 60 } }),
        );
        expect(expired.statusCode).toBe(401);
        expect(body(expired)).toMatchObject({ error: { code: 'unauthenticated' } });
        expect(issuer.fetches).toBe(1);
      } finally {
        await issuer.close();
      }
    },
    SCENARIO_MS,
  );

  it(
    'answers every message exactly once, in order per conversation, when the runner is killed mid-batch',
    async () => {
      const d = env();
      const conversations = ['7001', '7002', '7003', '7004'];
      const asks = conversations.flatMap((channelId) =>
        [0, 1, 2, 3].map((n) =>
          askInteraction(`message ${n} in ${channelId}`, {
            channelId,
            applicationId: d.discordApp.applicationId,
          }),
        ),
      );
      for (const ask of asks) {
        const { result } = await d.fn.interactions.invoke<HttpResult>(
          signedInteractionEvent(d.discordApp, ask),
        );
        expect(result.statusCode).toBe(200);
      }
      const patched: string[] = [];
      d.discord.onRequest = (r) => {
        if (r.method !== 'PATCH' || !r.token) return;
        patched.push(r.token);
        // The second reply of the first batch: the runner dies with the rest of the batch in hand.
        if (patched.length === 2) d.fn.runner.kill();
      };
      const startsBefore = d.fn.runner.starts;
      const source = d.runnerSource(10);
      source.start();
      await vi.waitFor(() => {
        for (const ask of asks) expect(d.discord.messagesFor(ask.token)).toHaveLength(1);
      }, until);
      await source.stop();
      d.discord.onRequest = undefined;

      // One invocation died with its batch; the next one started a fresh execution environment.
      expect(source.stats.failedInvocations).toBe(1);
      expect(d.fn.runner.starts - startsBefore).toBe(1);
      for (const ask of asks) {
        const text = String(ask.data!.options![0]!.value);
        expect(d.discord.messagesFor(ask.token)).toEqual([
          expect.objectContaining({ kind: 'original', content: echoReply(text) }),
        ]);
      }
      // In order per conversation: each conversation's first edits come in the order asked.
      for (const channelId of conversations) {
        const mine = asks.filter((a) => a.channel_id === channelId).map((a) => a.token);
        const firstEdits = [...new Set(patched)].filter((token) => mine.includes(token));
        expect(firstEdits).toEqual(mine);
      }
      const turns = await d.pg.db.query<{ status: string; n: number }>(
        `select status, count(*)::int as n from turns where id = any($1) group by status`,
        [asks.map((a) => a.id)],
      );
      expect(turns).toEqual([{ status: 'done', n: asks.length }]);
    },
    SCENARIO_MS,
  );

  it(
    'publishes an image post from the publisher asset, converting it to JPEG with the shipped sharp',
    async () => {
      const d = env();
      const [graph, media] = await Promise.all([startFakeGraphApi({ pollsUntilReady: 0 }), startMediaHost()]);
      d.secrets.fill({
        ...d.secrets.current(),
        ...media.env,
        INSTAGRAM_ACCOUNT_ID: '17841400000000001',
        INSTAGRAM_ACCESS_TOKEN: 'good-token',
        INSTAGRAM_GRAPH_URL: graph.url,
      });
      const dir = mkdtempSync(join(tmpdir(), 'carrier-post-'));
      writeFileSync(join(dir, 'garden.png'), await makeImage(1080, 1080, 'png'));
      await d.pg.cli(['posts', 'add', 'ada', '--media', join(dir, 'garden.png'), '--caption', 'Soil first.']);
      try {
        const { result } = await d.fn.publisher.invoke<TickReport>(
          scheduledEvent(d.region, 'carrier-dev-instagram-publish'),
        );
        expect(result, d.fn.publisher.logs.join('\n')).toMatchObject({ failed: [], errors: [] });
        expect(result.published).toHaveLength(1);
        expect(graph.published).toEqual([
          expect.objectContaining({ caption: expect.stringContaining('Soil first.') }),
        ]);
        // Meta downloaded a JPEG from the media host: the PNG went through sharp in the asset.
        const [container] = [...graph.containers.values()];
        const hosted = Buffer.from(await (await fetch(container!.params.image_url!)).arrayBuffer());
        expect(container!.params.image_url).toMatch(/\.jpg$/);
        expect(hosted.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
      } finally {
        rmSync(dir, { recursive: true, force: true });
        await Promise.all([graph.close(), media.close()]);
      }
    },
    SCENARIO_MS,
  );

  it(
    'refreshes the Instagram token from the token-refresh asset and writes it to the secret',
    async () => {
      const d = env();
      const graph = await startFakeGraphApi();
      d.secrets.fill({
        ...d.secrets.current(),
        INSTAGRAM_ACCESS_TOKEN: 'good-token',
        INSTAGRAM_GRAPH_URL: graph.url,
      });
      // The token was first seen two days ago: old enough for Meta to refresh it.
      const sha = createHash('sha256').update('good-token').digest('hex');
      await new SqlPostRepository(d.pg.db).tokenSeen(
        '17841400000000001',
        sha,
        60 * 86_400,
        new Date(Date.now() - 2 * 86_400_000),
      );
      try {
        const { result } = await d.fn.tokenRefresh.invoke<TokenReport>(
          scheduledEvent(d.region, 'carrier-dev-instagram-token-refresh'),
        );
        expect(result.refreshed, d.fn.tokenRefresh.logs.join('\n')).toEqual([
          expect.objectContaining({ tokenKey: 'INSTAGRAM_ACCESS_TOKEN' }),
        ]);
        const written = d.secrets.puts.at(-1)!;
        expect(written.INSTAGRAM_ACCESS_TOKEN).toMatch(/^refreshed-token-/);
        expect(graph.tokens.has(written.INSTAGRAM_ACCESS_TOKEN!)).toBe(true);
        // The other values of the secret are kept.
        expect(written.DATABASE_URL).toBe(d.pg.url);
      } finally {
        await graph.close();
      }
    },
    SCENARIO_MS,
  );

  it(
    'fails, naming the file, when a bundle ships without its runtime files',
    async () => {
      const d = env();
      const runner = d.variant('runner', (dir) => rmSync(join(dir, 'config'), { recursive: true }));
      const event: SQSEvent = { Records: [] };
      await expect(runner.invoke(event)).rejects.toThrow(/config\/mcp_servers\.json: file not found/);
    },
    SCENARIO_MS,
  );
});
