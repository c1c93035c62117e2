import {
  createRemoteJWKSet,
  customFetch,
  decodeJwt,
  decodeProtectedHeader,
  errors,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyResult,
} from 'jose';
import type { Principal, Scope } from '../ports/api-keys.ts';
import type { OutboundFetch } from '../ports/outbound.ts';
import { subjectKey } from './caller-ids.ts';
import { ApiError } from './errors.ts';
import { jwksUrl, type OidcConfig, type OidcIssuer } from './oidc-config.ts';

/** Checks an access token: its principal, or an ApiError (401, or 503 when the keys are unreachable). */
export type VerifyAccessToken = (token: string) => Promise<Principal>;

export interface AccessTokenOptions {
  /** Fetches the issuers' JWKS: the outbound policy's pinned fetch (wiring/access-tokens.ts). */
  fetch: OutboundFetch;
  /** After a fetch, how long an unknown `kid` waits before the keys are fetched again. Default 30 s. */
  refetchCooldownMs?: number;
  /** How long fetched keys are used before they are fetched again. Default 10 minutes. */
  cacheMaxAgeMs?: number;
  now?: () => Date;
}

/**
 * A compact JWS: three base64url parts, the first a JSON header naming an `alg`. API keys
 * (`ck_…`) never look like one, nor does a dev key someone chose with dots in it.
 */
export function looksLikeJwt(credential: string): boolean {
  if (!/^[\w-]+\.[\w-]*\.[\w-]*$/.test(credential)) return false;
  try {
    return typeof decodeProtectedHeader(credential).alg === 'string';
  } catch {
    return false;
  }
}

/**
 * Verifies OIDC access tokens from the configured issuers with jose: the issuer's keys come from
 * its JWKS (cached; an unknown `kid` fetches them again once the cooldown has passed, so a key
 * rotation is picked up and a flood of made-up kids costs one fetch per cooldown); the signature
 * with the issuer's asymmetric algorithms only; `iss`, `exp` (required), `nbf`; the audience
 * (`aud`, or `client_id` when there is none, as in Cognito's access tokens); and that it is not
 * an ID token. The principal is the token's `sub` in the issuer's tenant, with the Carrier scopes
 * its scopes map to.
 *
 * @example
 * const verify = accessTokenVerifier(config, { fetch: pinnedFetch({ reach: 'public' }) });
 * const principal = await verify(bearer); // { keyId: 'oidc:cognito:…', tenant: 'acme', subject, scopes }
 */
export function accessTokenVerifier(config: OidcConfig, options: AccessTokenOptions): VerifyAccessToken {
  const fetchKeys = options.fetch;
  const byIssuer = new Map(
    Object.entries(config).map(([name, entry]) => [
      entry.issuer,
      {
        name,
        entry,
        keys: createRemoteJWKSet(new URL(jwksUrl(entry)), {
          cooldownDuration: options.refetchCooldownMs ?? 30_000,
          cacheMaxAge: options.cacheMaxAgeMs ?? 600_000,
          [customFetch]: (url, init) => fetchKeys(url, init),
        }),
      },
    ]),
  );
  const now = options.now ?? (() => new Date());

  return async (token) => {
    let unverified: JWTPayload;
    try {
      unverified = decodeJwt(token);
    } catch {
      throw refused('the bearer token is neither an API key nor a JWT access token');
    }
    // Only picks which issuer's keys to check against: nothing else is read before the signature.
    const issuer = typeof unverified.iss === 'string' ? byIssuer.get(unverified.iss) : undefined;
    if (!issuer)
      throw refused('the token’s issuer is not one this API accepts (see oidc in its configuration)');
    const { name, entry, keys } = issuer;
    let verified: JWTVerifyResult;
    try {
      verified = await jwtVerify(token, keys, {
        issuer: entry.issuer,
        algorithms: [...entry.algorithms],
        clockTolerance: entry.clockToleranceSeconds,
        requiredClaims: ['exp', 'sub'],
        currentDate: now(),
      });
    } catch (error) {
      throw verificationError(error, name);
    }
    const { payload, protectedHeader } = verified;
    const idToken = idTokenReason(protectedHeader.typ, payload);
    if (idToken) throw refused(`${idToken}; send the access token`);
    if (!audienceMatches(payload, entry.audiences)) {
      throw refused(
        'the token is not meant for this API: its aud (or client_id) is not an accepted audience',
      );
    }
    const sub = payload.sub;
    if (typeof sub !== 'string' || !sub || sub.length > 255)
      throw refused('the token’s sub is not a user id');
    return {
      keyId: `oidc:${name}:${subjectKey(sub)}`,
      tenant: entry.tenant,
      scopes: grantedScopes(payload, entry),
      subject: { issuer: name, sub },
    };
  };
}

function refused(message: string): ApiError {
  return new ApiError(401, 'unauthenticated', message);
}

/** jose's refusals as 401s that say what to fix; an unreachable JWKS is ours, a 503. */
function verificationError(error: unknown, issuer: string): ApiError {
  if (error instanceof errors.JWTExpired) return refused('the access token has expired; get a new one');
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'nbf') return refused('the access token is not valid yet (nbf is in the future)');
    return refused(`the access token's ${error.claim} claim is missing or wrong (${error.reason})`);
  }
  if (error instanceof errors.JOSEAlgNotAllowed)
    return refused(`the token's signature algorithm is not one issuer "${issuer}" is configured for`);
  if (error instanceof errors.JWKSNoMatchingKey)
    return refused(
      `no key of issuer "${issuer}" matches the token's kid; if it rotated its keys, try again in a minute`,
    );
  if (
    error instanceof errors.JWSSignatureVerificationFailed ||
    error instanceof errors.JWSInvalid ||
    error instanceof errors.JWTInvalid
  )
    return refused('the access token’s signature does not verify');
  if (error instanceof errors.JOSENotSupported)
    return refused(`the token uses an algorithm or key type this API does not support`);
  if (error instanceof errors.JWKSMultipleMatchingKeys)
    return refused(`several keys of issuer "${issuer}" match the token; it must name its key with kid`);
  return new ApiError(
    503,
    'issuer_unavailable',
    `the keys of issuer "${issuer}" could not be fetched; try again`,
  );
}

/**
 * Why a verified token is an ID token rather than an access token, or undefined. Decided from
 * what each kind carries: Cognito says so in `token_use`; RFC 9068 access tokens are typed
 * `at+jwt` (a typ other than that or plain JWT is another kind of token); `nonce`, `at_hash`
 * and `c_hash` only ever appear in OpenID Connect ID tokens; Keycloak types its ID tokens `ID`.
 */
function idTokenReason(typ: string | undefined, payload: JWTPayload): string | undefined {
  if (payload.token_use !== undefined && payload.token_use !== 'access')
    return `this is a Cognito ${String(payload.token_use)} token (token_use), not an access token`;
  const kind = typ?.toLowerCase().replace(/^application\//, '');
  if (kind !== undefined && kind !== 'at+jwt' && kind !== 'jwt')
    return `a token typed ${typ} is not an access token (expected at+jwt)`;
  for (const claim of ['nonce', 'at_hash', 'c_hash'])
    if (payload[claim] !== undefined) return `this is an ID token (it carries ${claim})`;
  if (typeof payload.typ === 'string' && payload.typ.toLowerCase() === 'id')
    return 'this is an ID token (typ ID)';
  return undefined;
}

function audienceMatches(payload: JWTPayload, audiences: readonly string[]): boolean {
  const aud = payload.aud ?? payload.client_id;
  const given = Array.isArray(aud) ? aud : [aud];
  return given.some((a) => typeof a === 'string' && audiences.includes(a));
}

/** The token's scopes (`scope`, space-separated, or `scp`) through the issuer's mapping, plus its defaults. */
function grantedScopes(payload: JWTPayload, entry: OidcIssuer): Scope[] {
  const raw = [payload.scope, payload.scp].flatMap((s) =>
    typeof s === 'string' ? s.split(' ') : Array.isArray(s) ? s.filter((x) => typeof x === 'string') : [],
  );
  const granted = new Set<Scope>(entry.defaultScopes);
  for (const scope of raw)
    for (const mapped of Object.hasOwn(entry.scopes, scope) ? entry.scopes[scope]! : []) granted.add(mapped);
  return [...granted];
}
