import { refreshTokensOnce } from '../wiring/token-refresh.ts';
import { loadedSettings } from '../wiring/settings.ts';
import { lambdaHandler } from './lambda-handler.ts';
import { traced } from './traced.ts';

const observed = traced('instagram-token-refresh');
const { logger } = observed;

/** Daily schedule → refresh the long-lived Instagram tokens into the environment's secret. */
export const handler = lambdaHandler(
  observed,
  () => loadedSettings(logger),
  (s) => refreshTokensOnce(s, logger),
);
