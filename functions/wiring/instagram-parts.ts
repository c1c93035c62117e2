import { join } from 'node:path';
import { FtpMediaHost } from '../adapters/ftp/ftp-host.ts';
import { GraphClient } from '../adapters/graph/graph-client.ts';
import { LocalSecretsFile, SecretsManagerWriter } from '../adapters/secrets/secret-writer.ts';
import type { Settings } from '../config/settings.ts';
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
  fetchImpl?: typeof fetch,
): (account: InstagramAccount) => InstagramGraph {
  const clients = new Map<string, InstagramGraph>();
  return (account) => {
    const key = `${account.accountId}\u0000${account.accessToken}`;
    let client = clients.get(key);
    if (!client) {
      client = new GraphClient({
        ...instagram.graph,
        ...account,
        ...(fetchImpl ? { fetch: fetchImpl } : {}),
      });
      clients.set(key, client);
    }
    return client;
  };
}

/** FTP hosting from the settings, when configured. */
export function mediaHost(instagram: InstagramSettings, fetchImpl?: typeof fetch): MediaHost | undefined {
  return instagram.ftp ? new FtpMediaHost(instagram.ftp, fetchImpl ? { fetch: fetchImpl } : {}) : undefined;
}
