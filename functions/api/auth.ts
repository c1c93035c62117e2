import type { MiddlewareHandler } from 'hono';
import { timingSafeEqual } from 'node:crypto';
import { hasScope, type Principal, type Scope } from '../ports/api-keys.ts';
import { looksLikeJwt, type VerifyAccessToken } from './access-tokens.ts';
import { ApiError } from './errors.ts';

/**
 * A bearer credential's principal, or undefined for an unknown or revoked key. An access token
 * that does not verify rejects with an ApiError saying why (401, or 503 when its issuer's keys
 * cannot be fetched).
 */
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
 * Requires an API key as `Authorization: Bearer <key>` or `x-api-key: <key>`, or an OIDC access
 * token as `Authorization: Bearer <jwt>`: 401 when it is missing, unknown, revoked or does not
 * verify.
 */
export function requireKey(authenticate: Authenticate): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const bearer = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
    const key = bearer ?? c.req.header('x-api-key');
    if (!key) {
      throw new ApiError(
        401,
        'unauthenticated',
        'send an API key as Authorization: Bearer <key> or x-api-key, or an access token as Authorization: Bearer <token>',
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

/** Requires a scope on the authenticated key or token: 403 names the missing scope. */
export function requireScope(scope: Scope): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const principal = c.get('principal');
    if (!hasScope(principal, scope)) {
      throw new ApiError(
        403,
        'forbidden',
        principal.subject
          ? `this access token grants no "${scope}" scope; ask for a token scope that oidc.${principal.subject.issuer}.scopes maps to it`
          : `this API key lacks the "${scope}" scope; create a key with --scope ${scope}`,
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

/**
 * API keys and, when issuers are configured, OIDC access tokens on the same routes: a bearer
 * that looks like a JWT is verified as an access token, anything else is looked up as a key.
 *
 * @example
 * const authenticate = withAccessTokens(accessTokenVerifier(oidc, { fetch }), (key) => keys.verify(key));
 */
export function withAccessTokens(verify: VerifyAccessToken | undefined, keys: Authenticate): Authenticate {
  if (!verify) return keys;
  return (credential) => (looksLikeJwt(credential) ? verify(credential) : keys(credential));
}
