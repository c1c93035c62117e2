import { createServer } from 'node:http';
import {
  exportJWK,
  exportSPKI,
  generateKeyPair,
  SignJWT,
  type CryptoKey,
  type JWK,
  type JWTPayload,
} from 'jose';
import { listenOnLoopback } from './loopback.ts';

interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  jwk: JWK;
  /** The public key as PEM: what an attacker would use as an HS256 secret. */
  publicPem: string;
}

export interface TokenOptions {
  /** Claims over the defaults (iss of the issuer, aud `carrier-api`, sub `alice`, exp in 10 minutes). */
  claims?: JWTPayload;
  /** Protected header fields over `{ alg: 'RS256', kid }`. */
  header?: Record<string, unknown>;
  /** Sign with this key instead of the current one. */
  key?: SigningKey;
  /** The issuer path this token claims (`/app` unless told). */
  path?: string;
}

/**
 * An OIDC issuer on loopback: one RSA key pair (more after `rotate`), its JWKS served at
 * `<origin><path>/.well-known/jwks.json` for every path, a count of fetches, and access tokens
 * minted with jose. Tokens say `iss: <origin>/app` unless told.
 *
 * @example
 * const issuer = await startOidcIssuer();
 * const token = await issuer.token({ claims: { sub: 'bob', scope: 'carrier:chat' } });
 */
export async function startOidcIssuer() {
  const keys: SigningKey[] = [await newKey('k1')];
  let fetches = 0;
  const server = createServer((req, res) => {
    if (!req.url?.endsWith('/.well-known/jwks.json')) {
      res.writeHead(404).end();
      return;
    }
    fetches++;
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ keys: keys.map((k) => k.jwk) }));
  });
  const { origin, close } = await listenOnLoopback(server);
  const issuer = {
    origin,
    /** The `iss` of tokens minted for `path`. */
    iss: (path = '/app') => `${origin}${path}`,
    get fetches() {
      return fetches;
    },
    get currentKey() {
      return keys.at(-1)!;
    },
    /** Adds a key with a new kid and signs with it from now on; the JWKS serves both. */
    async rotate(kid: string) {
      keys.push(await newKey(kid));
    },
    /** A key the JWKS does not serve (yet). */
    unpublishedKey: (kid: string) => newKey(kid),
    async token(options: TokenOptions = {}): Promise<string> {
      const key = options.key ?? issuer.currentKey;
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({
        iss: issuer.iss(options.path),
        aud: 'carrier-api',
        sub: 'alice',
        iat: now,
        exp: now + 600,
        ...options.claims,
      })
        .setProtectedHeader({ alg: 'RS256', kid: key.kid, ...options.header } as { alg: string })
        .sign(key.privateKey);
    },
    close,
  };
  return issuer;
}

export type OidcIssuerFake = Awaited<ReturnType<typeof startOidcIssuer>>;

async function newKey(kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  return {
    kid,
    privateKey,
    jwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' },
    publicPem: await exportSPKI(publicKey),
  };
}

/** A token with `alg: none`: no signature at all. */
export function unsignedToken(payload: JWTPayload): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part(payload)}.`;
}

/** A token signed HS256 with the issuer's public key (PEM) as the shared secret. */
export async function publicKeyAsSecretToken(
  publicPem: string,
  payload: JWTPayload,
  kid: string,
): Promise<string> {
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'HS256', kid })
    .sign(new TextEncoder().encode(publicPem));
}
