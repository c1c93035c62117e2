import { z } from 'zod';
import type { ConfigProblem } from '../errors.ts';
import { OutboundRefusedError, outboundTarget } from '../outbound/address-policy.ts';
import { TENANT_ID } from '../ports/api-keys.ts';

/**
 * The scopes a signed-in end user may be given. Posts, schedules and usage act on the whole
 * tenant (its Instagram queue, every user's schedules and spending), so they stay with API keys,
 * which an app's server holds; `*` would include them.
 */
export const USER_SCOPES = ['agents:read', 'messages', 'memories:read', 'memories:write'] as const;

/**
 * Signature algorithms an issuer may use: asymmetric ones only. With `HS*` anyone holding the
 * issuer's public key could sign (the public key would be taken as the shared secret), and
 * `none` is no signature at all.
 */
export const ASYMMETRIC_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
] as const;

/** An issuer's name in the config: part of every stored id of its users, so never rename one. */
export const ISSUER_NAME = /^[a-z][a-z0-9-]{0,15}$/;

const httpUrl = z.url({ protocol: /^https?$/, message: 'expected an https URL' }).max(500);
const userScopes = z.array(
  z.enum(USER_SCOPES, {
    error: `expected one of ${USER_SCOPES.join(', ')}: posts, schedules and usage act on the whole tenant and stay with API keys`,
  }),
);

const issuerSchema = z.strictObject({
  /** The exact `iss` of the issuer's access tokens. */
  issuer: httpUrl,
  /** Where its keys are. Default: the issuer with `/.well-known/jwks.json` (Cognito, Auth0, Supabase). */
  jwksUri: httpUrl.optional(),
  /** Whose users these are: ids are stored `api:<tenant>:oidc:<name>:<sub>`. */
  tenant: z
    .string()
    .regex(
      TENANT_ID,
      'expected a tenant: 1-32 lower-case letters, digits, - or _ (as `carrier keys create --tenant`)',
    ),
  /** Accepted `aud` values; a token without `aud` (Cognito's access tokens) is matched by `client_id`. */
  audiences: z
    .array(z.string().min(1).max(500))
    .min(
      1,
      'list at least one audience: the API identifier (Auth0), the app client id (Cognito) or "authenticated" (Supabase)',
    ),
  /** The token's scopes (`scope` / `scp`) → Carrier's scopes. */
  scopes: z
    .record(z.string().regex(/^[\x21-\x7e]{1,200}$/, 'expected a scope as the token spells it'), userScopes)
    .default({}),
  /** Given to every valid access token of the issuer (Supabase's carry no OAuth scopes). */
  defaultScopes: userScopes.default([]),
  algorithms: z
    .array(
      z.enum(ASYMMETRIC_ALGORITHMS, {
        error: `expected an asymmetric algorithm (${ASYMMETRIC_ALGORITHMS.join(', ')}); HS256 and none are refused`,
      }),
    )
    .min(1)
    .default(['RS256', 'ES256']),
  /** Leeway for `exp` and `nbf` against clock drift. */
  clockToleranceSeconds: z.number().int().min(0).max(300).default(5),
});

/**
 * `oidc` in an environment file (and `CARRIER_OIDC` at run time): the identity providers whose
 * access tokens the API accepts beside API keys, by name.
 */
export const oidcSchema = z
  .record(z.string().regex(ISSUER_NAME), issuerSchema, {
    error: (issue) =>
      issue.code === 'invalid_key'
        ? 'expected an issuer name: a lower-case letter, then up to 15 letters, digits or -'
        : undefined,
  })
  .default({})
  .superRefine((issuers, ctx) => {
    const seen = new Map<string, string>();
    for (const [name, entry] of Object.entries(issuers)) {
      const other = seen.get(entry.issuer);
      if (other)
        ctx.addIssue({
          code: 'custom',
          path: [name, 'issuer'],
          message: `the same issuer as "${other}"; keep one`,
        });
      seen.set(entry.issuer, name);
      if (!Object.keys(entry.scopes).length && !entry.defaultScopes.length)
        ctx.addIssue({
          code: 'custom',
          path: [name, 'scopes'],
          message: 'grants nothing: map a token scope to Carrier scopes, or give defaultScopes',
        });
    }
  });

export type OidcConfig = z.output<typeof oidcSchema>;
export type OidcIssuer = OidcConfig[string];

/** The issuer's JWKS URL: `jwksUri`, or the issuer with `/.well-known/jwks.json`. */
export function jwksUrl(entry: Pick<OidcIssuer, 'issuer' | 'jwksUri'>): string {
  return entry.jwksUri ?? `${entry.issuer.replace(/\/+$/, '')}/.well-known/jwks.json`;
}

/**
 * Deployed, an issuer and its keys must be public https URLs (the API fetches the keys through
 * the public outbound policy); one problem per URL, its path under `prefix` (the environment
 * file's `oidc.`, nothing in CARRIER_OIDC).
 *
 * @example
 * oidcUrlProblems({ local: { issuer: 'http://127.0.0.1:8080', ... } }, 'config/environments/dev.json');
 */
export function oidcUrlProblems(config: OidcConfig, file: string, prefix = 'oidc.'): ConfigProblem[] {
  return Object.entries(config).flatMap(([name, entry]) =>
    (['issuer', 'jwksUri'] as const).flatMap((field) => {
      const url = field === 'issuer' ? entry.issuer : jwksUrl(entry);
      const path = `${prefix}${name}.${field}`;
      if (!url.startsWith('https://'))
        return [{ file, path, message: `${url} is not https; the API fetches the issuer's keys over https` }];
      try {
        outboundTarget(url, 'public');
        return [];
      } catch (error) {
        if (!(error instanceof OutboundRefusedError)) throw error;
        return [{ file, path, message: `${error.message}; deployed, the issuer must be public` }];
      }
    }),
  );
}
