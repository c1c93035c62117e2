import { Logger } from '@aws-lambda-powertools/logger';
import { createTurnSweeper } from '../wiring/turn-sweeper.ts';
import { loadedSettings } from '../wiring/settings.ts';
import { lambdaHandler } from './lambda-handler.ts';

const logger = new Logger({ serviceName: 'turn-sweeper' });

/** Every minute: fail turns that ran out of time, queue jobs whose enqueue never happened. */
export const handler = lambdaHandler(
  logger,
  async () => createTurnSweeper(await loadedSettings(logger), logger),
  (sweep) => sweep(),
);
