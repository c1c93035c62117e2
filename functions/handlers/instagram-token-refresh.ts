import { Logger } from '@aws-lambda-powertools/logger';
import { refreshTokensOnce } from '../wiring/token-refresh.ts';
import { loadedSettings } from '../wiring/settings.ts';
import { lambdaHandler } from './lambda-handler.ts';

const logger = new Logger({ serviceName: 'instagram-token-refresh' });

/** Daily schedule → refresh the long-lived Instagram tokens into the environment's secret. */
export const handler = lambdaHandler(
  logger,
  () => loadedSettings(logger),
  (s) => refreshTokensOnce(s, logger),
);
