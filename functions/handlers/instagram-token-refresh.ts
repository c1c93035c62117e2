import { Logger } from '@aws-lambda-powertools/logger';
import { settings } from '../wiring/settings.ts';
import { publisherEnv, tokenRefreshDeps } from '../wiring/publisher.ts';
import { parseInstagramSettings } from '../instagram/settings.ts';
import { refreshTokens, type TokenReport } from '../instagram/token-refresh.ts';
import { openStore } from '../adapters/store/open.ts';

/** Daily schedule → refresh the long-lived Instagram tokens into the environment's secret. */
export const handler = async (): Promise<TokenReport> => {
  const s = await settings();
  const log = new Logger({ serviceName: 'instagram-token-refresh', logLevel: s.logLevel });
  const instagram = parseInstagramSettings(await publisherEnv(s));
  const store = await openStore(s.env);
  try {
    const report = await refreshTokens(tokenRefreshDeps({ store, settings: s, instagram, log }));
    // An expiring token fails the invocation, so the errors alarm fires a week ahead.
    if (report.expiring.length) throw new Error(report.expiring.map((e) => e.message).join('\n'));
    return report;
  } finally {
    await store.close();
  }
};
