import type { MiddlewareHandler } from 'hono';
import { timingSafeEqual } from 'node:crypto';
import { hasScope, type Principal, type Scope } from '../ports/api-keys.ts';
import { ApiError } from './errors.ts';

export type Authenticate = (key: string) => Promise<Principal | undefined>;
/**
 * `lambdaContext` is what `hono/aws-lambda` passes in a Lambda (only its clock is used here);
 * absent locally and in tests.
 */
export type ApiEnv = {
  Variables: { principal: Principal };
  Bindings: { lambdaContext?: { getRemainingTimeInMillis(): number } };
};

/**
 * Requires an API key as `Authorization: Bearer <key>` or `x-api-key: <key>`: 401 when it is
 * missing, unknown or revoked.
 */
export function requireKey(authenticate: Authenticate): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const bearer = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
    const key = bearer ?? c.req.header('x-api-key');
    if (!key) {
      throw new ApiError(
        401,
        'unauthenticated',
        'send an API key as Authorization: Bearer <key> or x-api-key',
      );
    }
    const principal = await authenticate(key);
    if (!principal) {
      throw new ApiError(
        401,
        'unauthenticated',
        'the API key is unknown or revoked; create one with `carrier keys create`',
      );
    }
    c.set('principal', principal);
    await next();
  };
}

/** Requires a scope on the authenticated key: 403 names the missing scope. */
export function requireScope(scope: Scope): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    if (!hasScope(c.get('principal'), scope)) {
      throw new ApiError(
        403,
        'forbidden',
        `this API key lacks the "${scope}" scope; create a key with --scope ${scope}`,
      );
    }
    await next();
  };
}

/** The local stack's dev key is the tenant `dev`, with every scope. */
export const DEV_TENANT = 'dev';

/**
 * Local-stack authentication: the dev key (every scope, tenant `dev`) or a stored key.
 * Constant-time compare so the dev key cannot be guessed byte by byte.
 */
export function withDevKey(devKey: string, stored: Authenticate): Authenticate {
  const expected = Buffer.from(devKey);
  return async (key) => {
    const given = Buffer.from(key);
    if (given.length === expected.length && timingSafeEqual(given, expected)) {
      return { keyId: 'dev', tenant: DEV_TENANT, scopes: ['*'] };
    }
    return stored(key);
  };
}
