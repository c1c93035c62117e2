import type { webcrypto } from 'node:crypto';
import { verifyKey } from 'discord-interactions';

/** A request as it reached us: header names in any case, the body as the exact bytes Discord signed. */
export interface SignedRequest {
  headers: Record<string, string | undefined>;
  body: Uint8Array | string;
}

export type VerifyFailure =
  'signature_missing' | 'timestamp_invalid' | 'timestamp_stale' | 'signature_invalid';

export type Verification = { ok: true } | { ok: false; reason: VerifyFailure };

export interface VerifyOptions {
  /** Milliseconds since the epoch; injected by tests. */
  now?: number;
  /**
   * How far the signed timestamp may be from our clock, either way. Discord signs the moment it
   * sends, so a replay of a captured request is refused once it is older than this.
   */
  maxAgeSeconds?: number;
}

export const DEFAULT_MAX_AGE_SECONDS = 300;

/** Discord public keys are 32 raw bytes, shown as 64 hex digits in the developer portal. */
export const DISCORD_PUBLIC_KEY = /^[0-9a-f]{64}$/i;

/** Imported keys by hex value: importing costs more than verifying, and a warm Lambda sees the same key. */
const keys = new Map<string, Promise<webcrypto.CryptoKey>>();

/** True when `key` looks like a Discord application public key (64 hex digits). */
export function isPublicKey(key: string): boolean {
  return DISCORD_PUBLIC_KEY.test(key);
}

/**
 * Checks a Discord interaction's Ed25519 signature over `timestamp + raw body` and refuses stale
 * timestamps. Every failure is a plain `{ ok: false }`: Discord probes endpoints with bad
 * signatures, and the caller answers all of them with 401.
 *
 * @example
 * const result = await verifyInteraction({ headers: event.headers, body: rawBytes }, publicKeyHex);
 * if (!result.ok) return { status: 401 };
 */
export async function verifyInteraction(
  request: SignedRequest,
  publicKey: string,
  options: VerifyOptions = {},
): Promise<Verification> {
  const signature = header(request.headers, 'x-signature-ed25519');
  const timestamp = header(request.headers, 'x-signature-timestamp');
  if (!signature || !timestamp) return { ok: false, reason: 'signature_missing' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'timestamp_invalid' };
  const ageSeconds = (options.now ?? Date.now()) / 1000 - Number(timestamp);
  if (Math.abs(ageSeconds) > (options.maxAgeSeconds ?? DEFAULT_MAX_AGE_SECONDS)) {
    return { ok: false, reason: 'timestamp_stale' };
  }
  const valid = await verifyKey(request.body, signature, timestamp, await importPublicKey(publicKey));
  return valid ? { ok: true } : { ok: false, reason: 'signature_invalid' };
}

/** Header lookup that ignores case: API Gateway lower-cases names, other front ends may not. */
export function header(headers: Record<string, string | undefined>, name: string): string | undefined {
  const direct = headers[name];
  if (direct !== undefined) return direct;
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : headers[key];
}

function importPublicKey(hex: string): Promise<webcrypto.CryptoKey> {
  let key = keys.get(hex);
  if (!key) {
    if (!isPublicKey(hex)) throw new Error('Discord public key must be 64 hex digits');
    key = globalThis.crypto.subtle.importKey('raw', Buffer.from(hex, 'hex'), { name: 'Ed25519' }, false, [
      'verify',
    ]);
    keys.set(hex, key);
  }
  return key;
}
