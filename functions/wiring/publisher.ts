import { SqlPostRepository } from '../adapters/store/posts.ts';
import { loadCharacter } from '../characters/load.ts';
import { servedCharacters } from '../discord/served-characters.ts';
import { planStep } from './plan.ts';
import type { Settings } from '../config/settings.ts';
import { selectModel } from '../adapters/models/select.ts';
import type { Log } from '../ports/log.ts';
import type { MetricsSink } from '../ports/metrics.ts';
import type { SqlStore } from '../ports/sql.ts';
import type { OutboundFetch } from '../ports/outbound.ts';
import { graphClients, mediaHost, publisherEnv, publisherFetch } from './instagram-parts.ts';
import type { InstagramSettings } from '../instagram/settings.ts';
import {
  publisherLeaseSeconds,
  tickPublisher,
  type PublisherDeps,
  type TickReport,
} from '../instagram/tick.ts';
import { parseInstagramSettings } from '../instagram/settings.ts';
import { openStore } from '../adapters/store/open.ts';
import { SqlUsageRepository } from '../adapters/store/usage.ts';
import { BudgetGate } from '../usage/budget-gate.ts';
import { budgetDefaults } from '../usage/budget-policy.ts';

export interface ComposeOptions {
  store: SqlStore;
  settings: Settings;
  /** From publisherEnv(settings); parsed once so a refreshed token is shared by the tick and the refresh. */
  instagram: InstagramSettings;
  log?: Log;
  charactersDir?: string;
  /** Graph calls, the hosted-file check and media downloads. Default: publisherFetch for the runtime. */
  fetch?: OutboundFetch;
  /** Where each tick's figures go (posts published and failed, quota used). */
  metrics?: MetricsSink;
}

/**
 * The publisher's dependencies for a composition root (the Lambda handlers, the local stack and
 * `carrier posts tick`): characters from characters/, captions from the character's model within
 * its daily budget.
 *
 * @example
 * const settings = await loadSettings();
 * const instagram = parseInstagramSettings(await publisherEnv(settings));
 * await tickPublisher(publisherDeps({ store, settings, instagram }));
 */
export function publisherDeps(options: ComposeOptions): PublisherDeps {
  const deployed = options.settings.runtime === 'lambda';
  const fetch = options.fetch ?? publisherFetch(deployed, options.instagram, options.settings.env);
  const host = mediaHost(options.instagram, fetch);
  return {
    posts: new SqlPostRepository(
      options.store,
      publisherLeaseSeconds({ budgetMs: options.instagram.publishBudgetMs }),
    ),
    settings: options.instagram,
    graph: graphClients(options.instagram, fetch),
    ...(host ? { host } : {}),
    fetch,
    character: (id) => loadCharacter(id, options.charactersDir),
    model: (character) => selectModel(character, { deployed, env: options.settings.env }),
    // Captions spend from the same daily budgets as turns (CARRIER_BUDGET_*, the character's file).
    budget: new BudgetGate({
      usage: new SqlUsageRepository(options.store),
      defaults: budgetDefaults(options.settings.env),
    }),
    // The Lambda sets it below its own timeout: the tick gives back what it has not finished.
    limits: { budgetMs: options.instagram.publishBudgetMs, maxClaims: options.instagram.postMaxClaims },
    ...(options.log ? { log: options.log } : {}),
    ...(options.metrics ? { metrics: options.metrics } : {}),
  };
}

/**
 * The deployed publisher: one tick per scheduled invocation over the store the settings select,
 * logging what moved.
 *
 * @example
 * const tick = await createPublisher(await settings(), logger);
 * await tick();
 */
export async function createPublisher(
  settings: Settings,
  log: Log,
  metrics?: MetricsSink,
): Promise<() => Promise<TickReport>> {
  const instagram = parseInstagramSettings(await publisherEnv(settings), {
    deployed: settings.runtime === 'lambda',
    warn: (message) => log.warn(message),
  });
  const store = await openStore(settings.env);
  const deps = publisherDeps({ store, settings, instagram, log, ...(metrics ? { metrics } : {}) });
  const plan = planStep({
    store,
    publisher: deps,
    characters: servedCharacters(settings.env),
    deployed: true,
    log,
  });
  return async () => {
    await plan();
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
