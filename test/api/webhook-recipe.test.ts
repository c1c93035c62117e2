import { createHmac, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhook } from '#core/webhooks/signature.ts';
import { sendWebhook } from '#core/webhooks/send-webhook.ts';

type Verify = (rawBody: string, headers: Record<string, string>, secret: string) => boolean;

/** The verify function exactly as the README documents it. */
async function readmeRecipe(): Promise<Verify> {
  const readme = await readFile('README.md', 'utf8');
  const section = readme.slice(readme.indexOf('## Webhooks'));
  const code = /```js\n([\s\S]*?)```/.exec(section)?.[1];
  if (!code) throw new Error('README: no js block under ## Webhooks');
  const body = code.replace(/^import .*$/m, '');
  return new Function('createHmac', 'timingSafeEqual', `${body}\nreturn verifyCarrierWebhook;`)(
    createHmac,
    timingSafeEqual,
  ) as Verify;
}

describe('webhook signatures', () => {
  const secret = 'whsec_recipe_0123456789';
  const body = '{"type":"job.completed","jobId":"j1"}';

  it('verify with the README recipe, and fail it when the body or secret changes', async () => {
    const verify = await readmeRecipe();
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = {
      'carrier-timestamp': String(timestamp),
      'carrier-signature': signWebhook(secret, timestamp, body),
    };
    expect(verify(body, headers, secret)).toBe(true);
    expect(verify(body.replace('j1', 'j2'), headers, secret)).toBe(false);
    expect(verify(body, headers, 'whsec_other_0123456789')).toBe(false);
    const old = {
      'carrier-timestamp': String(timestamp - 600),
      'carrier-signature': signWebhook(secret, timestamp - 600, body),
    };
    expect(verify(body, old, secret)).toBe(false);
  });

  it('are refused by verifyWebhook when stale or missing', () => {
    const now = 1_700_000_000;
    const signature = signWebhook(secret, now - 301, body);
    expect(verifyWebhook({ secret, body, signature, timestamp: String(now - 301), now })).toBe(false);
    expect(verifyWebhook({ secret, body, signature: undefined, timestamp: String(now), now })).toBe(false);
  });
});

describe('sendWebhook', () => {
  const fakeFetch = (statuses: number[], seen: Array<Record<string, string>>) =>
    (async (_url: string, init: RequestInit) => {
      seen.push(init.headers as Record<string, string>);
      const status = statuses.shift() ?? 200;
      return new Response(null, { status });
    }) as unknown as typeof fetch;

  it('retries 5xx and 429 with doubling waits, keeping the id and signing each try', async () => {
    const seen: Array<Record<string, string>> = [];
    const waits: number[] = [];
    const result = await sendWebhook(
      'https://hooks.test/x',
      'job-9',
      { a: 1 },
      {
        secret: 'whsec_send_0123456789',
        fetch: fakeFetch([503, 429, 204], seen),
        sleep: async (ms) => void waits.push(ms),
        baseDelayMs: 100,
      },
    );
    expect(result).toEqual({ status: 'delivered', attempts: 3, httpStatus: 204 });
    expect(waits).toEqual([100, 200]);
    expect(seen.map((h) => h['carrier-webhook-id'])).toEqual(['job-9', 'job-9', 'job-9']);
    expect(seen.every((h) => h['carrier-signature']?.startsWith('v1='))).toBe(true);
  });

  it('stops at a 4xx other than 429: the receiver refused it', async () => {
    const seen: Array<Record<string, string>> = [];
    const result = await sendWebhook(
      'https://hooks.test/x',
      'job-10',
      {},
      {
        secret: 'whsec_send_0123456789',
        fetch: fakeFetch([410], seen),
        sleep: async () => undefined,
      },
    );
    expect(result).toEqual({ status: 'failed', attempts: 1, reason: 'HTTP 410' });
  });

  it('gives up after the last try and says why', async () => {
    const result = await sendWebhook(
      'https://hooks.test/x',
      'job-11',
      {},
      {
        secret: 'whsec_send_0123456789',
        fetch: (async () => Promise.reject(new TypeError('fetch failed'))) as unknown as typeof fetch,
        sleep: async () => undefined,
        attempts: 3,
      },
    );
    expect(result).toEqual({ status: 'failed', attempts: 3, reason: 'TypeError: fetch failed' });
  });

  it('refuses a plain http URL before any try, unless local', async () => {
    const seen: Array<Record<string, string>> = [];
    const options = { secret: 'whsec_send_0123456789', fetch: fakeFetch([204], seen) };
    expect(await sendWebhook('http://hooks.test/x', 'job-13', {}, options)).toEqual({
      status: 'failed',
      attempts: 0,
      reason: 'webhookUrl must use https',
    });
    const local = await sendWebhook('http://hooks.test/x', 'job-14', {}, { ...options, allowLocal: true });
    expect(local).toMatchObject({ status: 'delivered' });
    expect(seen).toHaveLength(1);
  });
});
