import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GraphError } from '#core/instagram/errors.ts';
import { GraphClient } from '#core/adapters/graph/graph-client.ts';
import { graphError } from '#core/instagram/graph-errors.ts';
import { startFakeGraphApi } from '#test/fakes/graph-api.ts';

let fake: Awaited<ReturnType<typeof startFakeGraphApi>>;
let silent: { url: string; close(): Promise<void> };

beforeAll(async () => {
  fake = await startFakeGraphApi();
  // Accepts requests and never answers, or answers 502 with no body.
  const server = createServer((req, res) => {
    if (req.url?.includes('bad-gateway')) res.writeHead(502).end('<html>bad gateway</html>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  silent = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
});
afterAll(async () => {
  await Promise.all([fake?.close(), silent?.close()]);
});

const client = (over: Partial<ConstructorParameters<typeof GraphClient>[0]> = {}) =>
  new GraphClient({
    api: 'instagram',
    baseUrl: fake.url,
    version: 'v24.0',
    accountId: '1001',
    accessToken: 'good-token',
    ...over,
  });

describe('Graph API client', () => {
  it('calls versioned paths under the base URL and reads the live quota', async () => {
    expect(await client().publishingLimit()).toEqual({
      quotaUsage: 0,
      quotaTotal: 50,
      quotaDurationSeconds: 86_400,
    });
    expect(fake.requests.at(-1)).toEqual({ method: 'GET', path: '/v24.0/1001/content_publishing_limit' });
  });

  it('maps an expired token to re-authenticate, keeping Meta code and subcode', async () => {
    const error = await client({ accessToken: 'stale' })
      .publishingLimit()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphError);
    expect(error).toMatchObject({ kind: 'reauth', graph: { status: 400, code: 190, subcode: 463 } });
    expect((error as Error).message).not.toContain('stale');
  });

  it('treats a request that got no answer as an unknown outcome, without naming the token', async () => {
    const error = await client({ baseUrl: silent.url, timeoutMs: 200 })
      .publish('c1')
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'unknown_outcome' });
    expect((error as Error).message).toBe(
      'no answer from the Graph API for POST {account}/media_publish: timed out after 200 ms',
    );
  });

  it('treats a 5xx without Meta error body as an unknown outcome', async () => {
    const error = await client({ baseUrl: `${silent.url}/bad-gateway`, timeoutMs: 2000 })
      .publish('c1')
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'unknown_outcome', graph: { status: 502 } });
  });

  it('classifies Meta errors by subcode before code', () => {
    expect(graphError(400, { code: 4, error_subcode: 2207051 }).kind).toBe('fix_input');
    expect(graphError(400, { code: 4 }).kind).toBe('retry');
    expect(graphError(400, { code: 9007, error_subcode: 2207027 }).kind).toBe('retry');
    expect(graphError(400, { code: 10 }).kind).toBe('reauth');
    expect(graphError(500, { code: 99999, is_transient: true }).kind).toBe('retry');
    expect(graphError(400, { code: 99999, message: 'odd' }).message).toBe(
      'Meta refused the request (Meta code 99999: odd)',
    );
  });
});
