import { join } from 'node:path';
import { pinnedFetch } from '../adapters/http/pinned-fetch.ts';
import { loadCharacter } from '../characters/load.ts';
import type { Settings } from '../config/settings.ts';
import { ConfigError } from '../errors.ts';
import { OutboundRefusedError, outboundTarget } from '../outbound/address-policy.ts';
import { selectModel } from '../models/select.ts';
import type { Log } from '../ports/log.ts';
import type { OutboundFetch } from '../ports/outbound.ts';
import type { SqlStore } from '../ports/sql.ts';
import { PostStore } from './post-store.ts';
import { LocalSecretsFile, SecretsManagerWriter, type SecretWriter } from './secrets.ts';
import type { InstagramSettings } from './settings.ts';
import type { PublisherDeps } from './tick.ts';
import type { TokenRefreshDeps } from './token-refresh.ts';

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

/** Secrets Manager on AWS (the environment's secret), the local secrets file otherwise. */
export function secretWriter(settings: Settings): SecretWriter {
  const arn = settings.env.CARRIER_SECRET_ARN;
  if (settings.runtime === 'lambda' && arn) return new SecretsManagerWriter({ secretId: arn });
  return new LocalSecretsFile(localSecretsPath(settings.dataDir));
}

export interface ComposeOptions {
  store: SqlStore;
  settings: Settings;
  /** From publisherEnv(settings); parsed once so a refreshed token is shared by the tick and the refresh. */
  instagram: InstagramSettings;
  log?: Log;
  charactersDir?: string;
}

/**
 * The publisher's dependencies for a composition root (the Lambda handlers, the local stack and
 * `carrier posts tick`): characters from characters/, captions from the character's model.
 *
 * @example
 * const settings = await loadSettings();
 * const instagram = parseInstagramSettings(await publisherEnv(settings));
 * await tickPublisher(publisherDeps({ store, settings, instagram }));
 */
export function publisherDeps(options: ComposeOptions): PublisherDeps {
  const deployed = options.settings.runtime === 'lambda';
  return {
    store: options.store,
    settings: options.instagram,
    character: (id) => loadCharacter(id, options.charactersDir),
    model: (character) => selectModel(character, { deployed, env: options.settings.env }),
    fetch: publisherFetch(deployed, options.instagram),
    // The Lambda sets it below its own timeout: the tick gives back what it has not finished.
    limits: { budgetMs: options.instagram.publishBudgetMs, maxClaims: options.instagram.postMaxClaims },
    ...(options.log ? { log: options.log } : {}),
  };
}

export function tokenRefreshDeps(options: ComposeOptions): TokenRefreshDeps {
  return {
    fetch: publisherFetch(options.settings.runtime === 'lambda', options.instagram),
    posts: new PostStore(options.store),
    settings: options.instagram,
    secrets: secretWriter(options.settings),
    ...(options.log ? { log: options.log } : {}),
  };
}

/**
 * The publisher's outbound fetch, pinned to checked addresses. Deployed it reaches public
 * addresses only: media URLs are user input, and INSTAGRAM_GRAPH_URL and HTTP_SERVER must be
 * Meta's and the public media host, which a literal private address never is (checked here, at
 * cold start). Locally, media on this machine or the LAN is the author's own, and the fakes
 * listen on 127.0.0.1.
 */
export function publisherFetch(deployed: boolean, instagram: InstagramSettings): OutboundFetch {
  if (!deployed) return pinnedFetch({ reach: 'any' });
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
