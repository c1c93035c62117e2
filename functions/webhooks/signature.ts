import { createHmac, timingSafeEqual } from 'node:crypto';

/** Header names of a signed webhook; documented in the README with a verify recipe. */
export const WEBHOOK_HEADERS = {
  signature: 'carrier-signature',
  timestamp: 'carrier-timestamp',
  id: 'carrier-webhook-id',
} as const;

/**
 * `v1=` + hex HMAC-SHA256 over `${timestamp}.${body}`: the timestamp is signed too, so a
 * captured request cannot be replayed later with a fresh timestamp.
 *
 * @example
 * signWebhook('whsec', 1700000000, '{"jobId":"j1"}'); // 'v1=5f2c…'
 */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * Checks a webhook the way a receiver should: the signature over the raw body, and a timestamp
 * no older (or newer) than `toleranceSeconds`.
 *
 * @example
 * verifyWebhook({ secret, body: rawBody, signature: req.headers['carrier-signature'], timestamp: req.headers['carrier-timestamp'] });
 */
export function verifyWebhook(input: {
  secret: string;
  body: string;
  signature: string | undefined;
  timestamp: string | undefined;
  toleranceSeconds?: number;
  now?: number;
}): boolean {
  const timestamp = Number(input.timestamp);
  if (!input.signature || !Number.isInteger(timestamp)) return false;
  const now = input.now ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - timestamp) > (input.toleranceSeconds ?? 300)) return false;
  const expected = Buffer.from(signWebhook(input.secret, timestamp, input.body));
  const given = Buffer.from(input.signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
