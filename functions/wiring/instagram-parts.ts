import { join } from 'node:path';
import { pinnedFetch } from '../adapters/http/pinned-fetch.ts';
import { FtpMediaHost } from '../adapters/ftp/ftp-host.ts';
import { GraphClient } from '../adapters/graph/graph-client.ts';
import { LocalSecretsFile, SecretsManagerWriter } from '../adapters/secrets/secret-writer.ts';
import type { Settings } from '../config/settings.ts';
import { ConfigError } from '../errors.ts';
import { OutboundRefusedError, outboundTarget } from '../outbound/address-policy.ts';
import type { OutboundFetch } from '../ports/outbound.ts';
import type { InstagramGraph } from '../instagram/graph.ts';
import type { InstagramAccount, InstagramSettings } from '../instagram/settings.ts';
import type { MediaHost } from '../media/media-host.ts';
import type { SecretWriter } from '../ports/secrets.ts';

/** Where the local stack keeps secrets it writes itself (a refreshed Instagram token). */
export function localSecretsPath(dataDir: string): string {
  return join(dataDir, 'secrets.json');
}

/**
 * The environment the publisher reads: the loaded settings' env, and locally the secrets the
 * token refresh wrote to `${dataDir}/secrets.json` on top (they are newer than `.env`).
 */
export async function publisherEnv(settings: Settings): Promise<Record<string, string>> {
  if (settings.runtime === 'lambda') return { ...settings.env };
  return { ...settings.env, ...(await new LocalSecretsFile(localSecretsPath(settings.dataDir)).read()) };
}

/** Secrets Manager on AWS (the environment's Instagram secret), the local secrets file otherwise. */
export function secretWriter(settings: Settings): SecretWriter {
  const arn = settings.env.CARRIER_INSTAGRAM_SECRET_ARN ?? settings.env.CARRIER_SECRET_ARN;
  if (settings.runtime === 'lambda' && arn) return new SecretsManagerWriter({ secretId: arn });
  return new LocalSecretsFile(localSecretsPath(settings.dataDir));
}

/** One Graph client per account and token, made on first use. */
export function graphClients(
  instagram: InstagramSettings,
  fetchImpl: OutboundFetch,
): (account: InstagramAccount) => InstagramGraph {
  const clients = new Map<string, InstagramGraph>();
  return (account) => {
    const key = `${account.accountId}\u0000${account.accessToken}`;
    let client = clients.get(key);
    if (!client) {
      client = new GraphClient({ ...instagram.graph, ...account, fetch: fetchImpl });
      clients.set(key, client);
    }
    return client;
  };
}

/** FTP hosting from the settings, when configured. */
export function mediaHost(instagram: InstagramSettings, fetchImpl: OutboundFetch): MediaHost | undefined {
  return instagram.ftp ? new FtpMediaHost(instagram.ftp, { fetch: fetchImpl }) : undefined;
}

/**
 * The publisher's outbound fetch, pinned to checked addresses. Deployed it reaches public
 * addresses only: media URLs are user input, and INSTAGRAM_GRAPH_URL and HTTP_SERVER must be
 * Meta's and the public media host, which a literal private address never is (checked here, at
 * cold start). Locally, media on this machine or the LAN is the author's own, and the fakes
 * listen on 127.0.0.1.
 */
export function publisherFetch(
  deployed: boolean,
  instagram: InstagramSettings,
  env: Readonly<Record<string, string | undefined>> = {},
): OutboundFetch {
  if (!deployed) return pinnedFetch({ reach: 'any' });
  // The bundles' own tests run them as deployed against peers on this machine's loopback; the
  // variable is set there and nowhere else (never in a template or a secret).
  if (env.CARRIER_OUTBOUND_LOOPBACK === 'allow') return pinnedFetch({ reach: 'loopback' });
  const urls = { INSTAGRAM_GRAPH_URL: instagram.graph.baseUrl, HTTP_SERVER: instagram.ftp?.httpServer };
  const problems = Object.entries(urls).flatMap(([name, url]) => {
    if (url === undefined) return [];
    try {
      outboundTarget(url, 'public');
      return [];
    } catch (error) {
      if (!(error instanceof OutboundRefusedError)) throw error;
      return [
        { file: 'environment', path: name, message: `${error.message}; deployed, it must be a public URL` },
      ];
    }
  });
  if (problems.length) throw new ConfigError(problems);
  return pinnedFetch({ reach: 'public' });
}
