import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pinnedFetch } from '#core/adapters/http/pinned-fetch.ts';
import { addressRefusal } from '#core/outbound/address-policy.ts';
import { sendWebhook } from '#core/webhooks/send-webhook.ts';
import { assertPublicWebhook } from '#core/webhooks/webhook-target.ts';
import { BLOCKED_SPELLINGS } from '#test/outbound/blocked-spellings.ts';
import { scriptedResolver, startLoopbackServer, type LoopbackServer } from '#test/outbound/loopback-trap.ts';

const secret = 'whsec_outbound_0123456789';
let trap: LoopbackServer;
let site: LoopbackServer;

beforeAll(async () => {
  trap = await startLoopbackServer('127.0.0.1');
  // 127.0.0.2 stands in for a public receiver; no public address is ever connected to.
  site = await startLoopbackServer('127.0.0.2', trap.port, (_req, res) => res.writeHead(204).end());
});
afterAll(async () => Promise.all([trap.close(), site.close()]));
beforeEach(() => {
  trap.requests.length = 0;
  site.requests.length = 0;
});

describe('webhook targets under the outbound policy', () => {
  it.each(BLOCKED_SPELLINGS)('refuses https://%s/ (%s) when accepted and when sent', async (host, kind) => {
    const url = `https://${host}:${trap.port}/hook`;
    const { resolve } = scriptedResolver(['127.0.0.1']);
    await expect(assertPublicWebhook(url, { resolve })).rejects.toThrow(kind);
    const result = await sendWebhook(
      url,
      'job-1',
      {},
      { secret, fetch: pinnedFetch({ reach: 'public', resolve }) },
    );
    expect(result).toEqual({
      status: 'failed',
      attempts: 0,
      reason: expect.stringMatching(new RegExp(`^webhookUrl host .*${kind}.*; use a public https URL$`)),
    });
    expect(trap.requests).toEqual([]);
  });

  it('closes the rebinding window: accepted while public, refused when it answers 127.0.0.1 at send time', async () => {
    const { resolve, asked } = scriptedResolver(['127.0.0.2'], ['127.0.0.1']);
    const url = `http://rebind.test:${trap.port}/hook`;
    const standIn = (address: string) =>
      address === '127.0.0.2' ? undefined : addressRefusal(address, 'public');
    // http only so the test needs no certificate; the addresses are what is under test.
    await expect(assertPublicWebhook(url, { allowLocal: true, resolve })).resolves.toBeUndefined();
    const result = await sendWebhook(
      url,
      'job-2',
      {},
      {
        secret,
        allowLocal: true,
        fetch: pinnedFetch({ reach: standIn, resolve }),
        sleep: async () => undefined,
      },
    );
    expect(result).toEqual({
      status: 'failed',
      attempts: 0,
      reason:
        'webhookUrl host rebind.test resolves to 127.0.0.1, a loopback address (127.0.0.0/8); use a public https URL',
    });
    expect(asked).toEqual(['rebind.test', 'rebind.test']);
    expect(trap.requests).toEqual([]);
  });

  it('delivers to the address it checked', async () => {
    const { resolve } = scriptedResolver(['127.0.0.2']);
    const standIn = (address: string) =>
      address === '127.0.0.2' ? undefined : addressRefusal(address, 'public');
    const result = await sendWebhook(
      `http://hooks.test:${trap.port}/hook`,
      'job-3',
      { ok: true },
      { secret, allowLocal: true, fetch: pinnedFetch({ reach: standIn, resolve }) },
    );
    expect(result).toEqual({ status: 'delivered', attempts: 1, httpStatus: 204 });
    expect(site.requests).toMatchObject([{ method: 'POST', body: '{"ok":true}' }]);
    expect(trap.requests).toEqual([]);
  });
});
