import type { MiddlewareHandler } from 'hono';
import { ApiError } from './errors.ts';

/**
 * Refuses a request whose path or query carries a NUL character (`%00`): Postgres cannot store
 * or compare text containing one, so such an id would otherwise fail deep in the store as a 500.
 * No id, name or text of Carrier's ever holds one. Bodies are checked by jsonBody (validate.ts).
 *
 * @example
 * app.use('/v1/*', refuseNul());
 */
export function refuseNul(): MiddlewareHandler {
  return async (c, next) => {
    const url = new URL(c.req.url);
    if (hasNul(safeDecode(url.pathname)) || hasNul(safeDecode(url.search))) {
      throw new ApiError(
        400,
        'invalid_request',
        'the path or query contains a NUL character (%00); remove it',
      );
    }
    await next();
  };
}

/** Whether a parsed JSON value holds a NUL character in any string or key. */
export function holdsNul(value: unknown): boolean {
  if (typeof value === 'string') return hasNul(value);
  if (Array.isArray(value)) return value.some(holdsNul);
  if (value && typeof value === 'object')
    return Object.entries(value).some(([k, v]) => hasNul(k) || holdsNul(v));
  return false;
}

const hasNul = (text: string) => text.includes('\u0000');

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    // Broken escapes are the router's to refuse; a literal NUL is still found.
    return text;
  }
}
