import { pinnedFetch } from '../adapters/http/pinned-fetch.ts';
import { accessTokenVerifier, type VerifyAccessToken } from '../api/access-tokens.ts';
import { oidcSchema, oidcUrlProblems } from '../api/oidc-config.ts';
import { parseJson } from '../config/json-file.ts';
import { ConfigError } from '../errors.ts';
import { outboundReach } from './outbound-reach.ts';

/** The variable that carries an environment's `oidc` settings to the API (JSON). */
export const OIDC_VARIABLE = 'CARRIER_OIDC';

/**
 * The access-token verifier of the configured issuers (`CARRIER_OIDC`: the environment file's
 * `oidc`, set by the stack; locally from `.env`), or undefined when there are none. Invalid
 * settings stop the cold start (start-up locally) with one line per problem. The issuers' keys
 * are fetched through the outbound policy: deployed, public https addresses only (loopback for
 * the bundles' own tests, which set CARRIER_OUTBOUND_LOOPBACK, as the publisher does); locally,
 * any address, so an issuer on this machine or the LAN (a Keycloak in a container) works.
 *
 * @example
 * const authenticate = withAccessTokens(accessTokens(settings.env, { deployed: true }), keys);
 */
export function accessTokens(
  env: Readonly<Record<string, string | undefined>>,
  options: { deployed: boolean },
): VerifyAccessToken | undefined {
  const text = env[OIDC_VARIABLE];
  if (!text?.trim()) return undefined;
  const config = parseJson(OIDC_VARIABLE, text, oidcSchema);
  if (!Object.keys(config).length) return undefined;
  const reach = outboundReach(options.deployed, env);
  if (reach === 'public') {
    const problems = oidcUrlProblems(config, OIDC_VARIABLE, '');
    if (problems.length) throw new ConfigError(problems);
  }
  return accessTokenVerifier(config, { fetch: pinnedFetch({ reach }) });
}
