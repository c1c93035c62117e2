import { Logger } from '@aws-lambda-powertools/logger';
import { settings } from '../wiring/settings.ts';
import { publisherDeps, publisherEnv } from '../wiring/publisher.ts';
import { parseInstagramSettings } from '../instagram/settings.ts';
import { tickPublisher, type TickReport } from '../instagram/tick.ts';
import { openStore } from '../adapters/store/open.ts';

// Built once per container: settings (Secrets Manager), the Instagram settings and one store.
let ready: Promise<Parameters<typeof tickPublisher>[0]> | undefined;

async function build() {
  const s = await settings();
  const log = new Logger({ serviceName: 'instagram-publisher', logLevel: s.logLevel });
  const instagram = parseInstagramSettings(await publisherEnv(s));
  return publisherDeps({ store: await openStore(s.env), settings: s, instagram, log });
}

/** EventBridge schedule → one publisher tick. Not retried by Lambda: the next tick resumes. */
export const handler = async (): Promise<TickReport> => {
  ready ??= build().catch((error: unknown) => {
    ready = undefined;
    throw error;
  });
  const deps = await ready;
  const report = await tickPublisher(deps);
  deps.log?.info('publisher tick', {
    claimed: report.claimed.length,
    transitions: report.transitions,
    published: report.published.length,
    failed: report.failed.length,
    waiting: report.waiting.length,
  });
  for (const warning of report.warnings) deps.log?.warn(warning);
  return report;
};
