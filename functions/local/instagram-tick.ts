import type { Settings } from '../config/settings.ts';
import { parseInstagramSettings } from '../instagram/settings.ts';
import { tickPublisher } from '../instagram/tick.ts';
import type { Log } from '../ports/log.ts';
import type { MetricsSink } from '../ports/metrics.ts';
import type { SqlStore } from '../ports/sql.ts';
import { publisherEnv } from '../wiring/instagram-parts.ts';
import { planStep } from '../wiring/plan.ts';
import { publisherDeps } from '../wiring/publisher.ts';

/**
 * The Instagram publisher, composed as its Lambda composes it; the settings are parsed now, so
 * a typo fails the start instead of every tick.
 */
export async function instagramTick(
  store: SqlStore,
  settings: Settings,
  characters: string[],
  log?: Log,
  metrics?: MetricsSink,
): Promise<{ run: () => Promise<unknown> }> {
  const instagram = parseInstagramSettings(await publisherEnv(settings));
  const deps = publisherDeps({
    store,
    settings,
    instagram,
    ...(log ? { log } : {}),
    ...(metrics ? { metrics } : {}),
  });
  const plan = planStep({ store, publisher: deps, characters, deployed: false, ...(log ? { log } : {}) });
  return { run: async () => (await plan(), tickPublisher(deps)) };
}
