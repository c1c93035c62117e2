import { openStore } from '../adapters/store/open.ts';
import { SqlPostRepository } from '../adapters/store/posts.ts';
import type { Settings } from '../config/settings.ts';
import { parseInstagramSettings } from '../instagram/settings.ts';
import { refreshTokens, type TokenReport } from '../instagram/token-refresh.ts';
import type { Log } from '../ports/log.ts';
import type { TokenRefreshDeps } from '../instagram/token-refresh.ts';
import { graphClients, publisherEnv, publisherFetch, secretWriter } from './instagram-parts.ts';
import type { ComposeOptions } from './publisher.ts';

/** The token refresh's dependencies: the posts store's token records, the Graph API, the secret it writes. */
export function tokenRefreshDeps(options: ComposeOptions): TokenRefreshDeps {
  const fetch =
    options.fetch ??
    publisherFetch(options.settings.runtime === 'lambda', options.instagram, options.settings.env);
  return {
    posts: new SqlPostRepository(options.store),
    settings: options.instagram,
    secrets: secretWriter(options.settings),
    graph: graphClients(options.instagram, fetch),
    fetch,
    ...(options.log ? { log: options.log } : {}),
  };
}

/**
 * The daily token refresh: refreshes the long-lived Instagram tokens into the environment's
 * secret. An expiring token it cannot fix fails the run, so the errors alarm fires a week ahead.
 */
export async function refreshTokensOnce(settings: Settings, log: Log): Promise<TokenReport> {
  const instagram = parseInstagramSettings(await publisherEnv(settings), {
    deployed: settings.runtime === 'lambda',
    warn: (message) => log.warn(message),
  });
  const store = await openStore(settings.env);
  try {
    const report = await refreshTokens(tokenRefreshDeps({ store, settings, instagram, log }));
    if (report.expiring.length) throw new Error(report.expiring.map((e) => e.message).join('\n'));
    return report;
  } finally {
    await store.close();
  }
}
