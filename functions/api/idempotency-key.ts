import { createHash } from 'node:crypto';
import { IDEMPOTENCY_KEY } from '../http/idempotency-key.ts';
import { ApiError } from './errors.ts';

/**
 * Checks an Idempotency-Key (header or body field), answering 400 with the rule when it breaks it.
 *
 * @example checkIdempotencyKey(c.req.header('idempotency-key'), 'header.idempotency-key') // the key, or undefined
 */
export function checkIdempotencyKey(key: string | undefined, path: string): string | undefined {
  if (key === undefined) return undefined;
  if (!IDEMPOTENCY_KEY.test(key)) {
    throw new ApiError(400, 'invalid_request', 'Idempotency-Key must be 1-255 printable ASCII characters', [
      { path, message: 'use e.g. a UUID per request' },
    ]);
  }
  return key;
}

/**
 * The SHA-256 of a request body, with object keys sorted, so a resend with its fields in another
 * order is still the same request.
 *
 * @example requestSha256({ b: 1, a: [2] }) === requestSha256({ a: [2], b: 1 }) // true
 */
export function requestSha256(body: unknown): string {
  return createHash('sha256').update(canonicalJson(body)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The 409 for a key already used with a different request, naming the key.
 *
 * @example throw idempotencyKeyReused('order-42', 'post');
 */
export function idempotencyKeyReused(key: string, what: string): ApiError {
  return new ApiError(
    409,
    'idempotency_key_reused',
    `Idempotency-Key "${key}" was already used for a different ${what}; send a new key for a new ${what}, or resend the same body to get the first ${what} back`,
  );
}
