import { SqlPostRepository } from '../adapters/store/posts.ts';
import { loadCharacter } from '../characters/load.ts';
import type { Settings } from '../config/settings.ts';
import { selectModel } from '../adapters/models/select.ts';
import type { Log } from '../ports/log.ts';
import type { SqlStore } from '../ports/sql.ts';
import { graphClients, mediaHost, publisherEnv } from './instagram-parts.ts';
import type { InstagramSettings } from '../instagram/settings.ts';
import {
  publisherLeaseSeconds,
  tickPublisher,
  type PublisherDeps,
  type TickReport,
} from '../instagram/tick.ts';
import { parseInstagramSettings } from '../instagram/settings.ts';
import { openStore } from '../adapters/store/open.ts';

export interface ComposeOptions {
  store: SqlStore;
  settings: Settings;
  /** From publisherEnv(settings); parsed once so a refreshed token is shared by the tick and the refresh. */
  instagram: InstagramSettings;
  log?: Log;
  charactersDir?: string;
  /** Graph, FTP public-URL checks and media downloads go through it (tests point it at fakes). */
  fetch?: typeof fetch;
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
    posts: new SqlPostRepository(
      options.store,
      publisherLeaseSeconds({ budgetMs: options.instagram.publishBudgetMs }),
    ),
    settings: options.instagram,
    graph: graphClients(options.instagram, options.fetch),
    ...(mediaHostOf(options) ? { host: mediaHostOf(options)! } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    character: (id) => loadCharacter(id, options.charactersDir),
    model: (character) => selectModel(character, { deployed, env: options.settings.env }),
    // Locally, media on this machine or the LAN is the author's own; deployed, it is an attack.
    allowPrivateMediaUrls: !deployed,
    // The Lambda sets it below its own timeout: the tick gives back what it has not finished.
    limits: { budgetMs: options.instagram.publishBudgetMs },
    ...(options.log ? { log: options.log } : {}),
  };
}

function mediaHostOf(options: ComposeOptions) {
  return mediaHost(options.instagram, options.fetch);
}

/**
 * The deployed publisher: one tick per scheduled invocation over the store the settings select,
 * logging what moved.
 *
 * @example
 * const tick = await createPublisher(await settings(), logger);
 * await tick();
 */
export async function createPublisher(settings: Settings, log: Log): Promise<() => Promise<TickReport>> {
  const instagram = parseInstagramSettings(await publisherEnv(settings), {
    deployed: settings.runtime === 'lambda',
    warn: (message) => log.warn(message),
  });
  const deps = publisherDeps({ store: await openStore(settings.env), settings, instagram, log });
  return async () => {
    const report = await tickPublisher(deps);
    log.info('publisher tick', {
      claimed: report.claimed.length,
      transitions: report.transitions,
      published: report.published.length,
      failed: report.failed.length,
      waiting: report.waiting.length,
    });
    for (const warning of report.warnings) log.warn(warning);
    return report;
  };
}
