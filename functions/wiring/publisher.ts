import { join } from 'node:path';
import { loadCharacter } from '../characters/load.ts';
import type { Settings } from '../config/settings.ts';
import { selectModel } from '../adapters/models/select.ts';
import type { Log } from '../ports/log.ts';
import type { SqlStore } from '../ports/sql.ts';
import { PostStore } from '../adapters/store/posts.ts';
import {
  LocalSecretsFile,
  SecretsManagerWriter,
  type SecretWriter,
} from '../adapters/secrets/secret-writer.ts';
import type { InstagramSettings } from '../instagram/settings.ts';
import type { PublisherDeps } from '../instagram/tick.ts';
import type { TokenRefreshDeps } from '../instagram/token-refresh.ts';

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
    // Locally, media on this machine or the LAN is the author's own; deployed, it is an attack.
    allowPrivateMediaUrls: !deployed,
    // The Lambda sets it below its own timeout: the tick gives back what it has not finished.
    limits: { budgetMs: options.instagram.publishBudgetMs },
    ...(options.log ? { log: options.log } : {}),
  };
}

export function tokenRefreshDeps(options: ComposeOptions): TokenRefreshDeps {
  return {
    posts: new PostStore(options.store),
    settings: options.instagram,
    secrets: secretWriter(options.settings),
    ...(options.log ? { log: options.log } : {}),
  };
}
