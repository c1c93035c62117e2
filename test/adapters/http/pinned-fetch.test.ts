import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pinnedFetch } from '#core/adapters/http/pinned-fetch.ts';
import { addressRefusal, OutboundRefusedError } from '#core/outbound/address-policy.ts';
import { BLOCKED_SPELLINGS } from '#test/outbound/blocked-spellings.ts';
import { scriptedResolver, startLoopbackServer, type LoopbackServer } from '#test/outbound/loopback-trap.ts';

/*
 * No public address is ever connected to: 127.0.0.2 stands in for a public host (a rule lets
 * it through as if it were public), and 127.0.0.1 is the internal target that must stay silent.
 */
const PUBLIC_STAND_IN = '127.0.0.2';
const standIn = (address: string) =>
  address === PUBLIC_STAND_IN ? undefined : addressRefusal(address, 'public');

let trap: LoopbackServer;
let site: LoopbackServer;

beforeAll(async () => {
  trap = await startLoopbackServer('127.0.0.1');
  site = await startLoopbackServer(PUBLIC_STAND_IN, trap.port, (req, res) => {
    if (req.url === '/to-internal')
      return res.writeHead(302, { location: `http://127.0.0.1:${trap.port}/` }).end();
    if (req.url === '/to-name') return res.writeHead(301, { location: '/final' }).end();
    if (req.url === '/gzip')
      return res.writeHead(200, { 'content-encoding': 'gzip' }).end(gzipSync('packed'));
    if (req.url === '/slow') return void setTimeout(() => res.end('late'), 2_000);
    res.writeHead(200, { 'x-echo': req.method ?? '' }).end(`hello ${req.headers.host}`);
  });
});
afterAll(async () => Promise.all([trap.close(), site.close()]));
beforeEach(() => {
  trap.requests.length = 0;
  site.requests.length = 0;
});

describe('a pinned fetch', () => {
  it.each(BLOCKED_SPELLINGS)('refuses %s (%s) before connecting', async (host) => {
    const { resolve, asked } = scriptedResolver(['127.0.0.1']);
    const fetch = pinnedFetch({ reach: 'public', resolve });
    const error = await fetch(`http://${host}:${trap.port}/`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutboundRefusedError);
    // Literals and localhost names are refused without asking DNS at all.
    expect(asked).toEqual([]);
    expect(trap.requests).toEqual([]);
  });

  it('never reaches loopback through a name that rebinds: public first, 127.0.0.1 second', async () => {
    const { resolve, asked } = scriptedResolver([PUBLIC_STAND_IN], ['127.0.0.1']);
    const fetch = pinnedFetch({ reach: standIn, resolve });
    const url = `http://rebind.test:${trap.port}/`;

    const first = await fetch(url);
    expect(await first.text()).toBe(`hello rebind.test:${trap.port}`);
    await expect(fetch(url)).rejects.toThrow(
      'rebind.test resolves to 127.0.0.1, a loopback address (127.0.0.0/8)',
    );
    // One lookup per request, and each connection went where its lookup was checked.
    expect(asked).toEqual(['rebind.test', 'rebind.test']);
    expect(site.requests).toHaveLength(1);
    expect(trap.requests).toEqual([]);
  });

  it('refuses a name with one private answer among public ones, without connecting', async () => {
    const { resolve } = scriptedResolver([PUBLIC_STAND_IN, '127.0.0.1']);
    const fetch = pinnedFetch({ reach: standIn, resolve });
    await expect(fetch(`http://mixed.test:${trap.port}/`)).rejects.toThrow(
      'mixed.test resolves to 127.0.0.1, a loopback address',
    );
    expect([...site.requests, ...trap.requests]).toEqual([]);
  });

  it('checks every redirect hop: a redirect to loopback is refused', async () => {
    const fetch = pinnedFetch({ reach: standIn, resolve: scriptedResolver([PUBLIC_STAND_IN]).resolve });
    await expect(fetch(`http://site.test:${trap.port}/to-internal`)).rejects.toThrow(
      '127.0.0.1 is a loopback address (127.0.0.0/8)',
    );
    expect(trap.requests).toEqual([]);
  });

  it('follows a redirect to an allowed host, resolving the new hop again', async () => {
    const { resolve, asked } = scriptedResolver([PUBLIC_STAND_IN]);
    const fetch = pinnedFetch({ reach: standIn, resolve });
    const response = await fetch(`http://site.test:${trap.port}/to-name`);
    expect(response.status).toBe(200);
    expect(response.url).toBe(`http://site.test:${trap.port}/final`);
    expect(asked).toEqual(['site.test', 'site.test']);
  });

  it('does not follow a redirect for a POST, and returns it as is with redirect: manual', async () => {
    const fetch = pinnedFetch({ reach: standIn, resolve: scriptedResolver([PUBLIC_STAND_IN]).resolve });
    const url = `http://site.test:${trap.port}/to-internal`;
    await expect(fetch(url, { method: 'POST', body: '{}' })).rejects.toThrow(
      `site.test:${trap.port} redirected POST /to-internal to http://127.0.0.1:${trap.port}/; the redirect is not followed: use the final URL`,
    );
    const manual = await fetch(url, { method: 'POST', body: '{}', redirect: 'manual' });
    expect(manual.status).toBe(302);
    expect(trap.requests).toEqual([]);
  });

  it('sends the method, headers and body, and decodes a compressed answer', async () => {
    const fetch = pinnedFetch({ reach: 'loopback' });
    const response = await fetch(`http://${PUBLIC_STAND_IN}:${trap.port}/echo`, {
      method: 'PUT',
      headers: { 'x-test': 'yes' },
      body: 'payload',
    });
    expect(response.headers.get('x-echo')).toBe('PUT');
    expect(site.requests[0]).toMatchObject({ method: 'PUT', body: 'payload' });
    expect(await (await fetch(`http://${PUBLIC_STAND_IN}:${trap.port}/gzip`)).text()).toBe('packed');
  });

  it('rejects with the signal reason when it times out, as fetch does', async () => {
    const fetch = pinnedFetch({ reach: 'loopback' });
    const error = await fetch(`http://${PUBLIC_STAND_IN}:${trap.port}/slow`, {
      signal: AbortSignal.timeout(50),
    }).catch((e: unknown) => e);
    expect((error as Error).name).toBe('TimeoutError');
  });

  it('in the local stack reaches loopback, and still nothing private', async () => {
    const fetch = pinnedFetch({ reach: 'loopback' });
    expect((await fetch(`http://127.0.0.1:${trap.port}/`)).status).toBe(200);
    await expect(fetch('http://10.0.0.1/')).rejects.toThrow('10.0.0.1 is a private address (10.0.0.0/8)');
  });
});
