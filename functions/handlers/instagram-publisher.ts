import { Logger } from '@aws-lambda-powertools/logger';
import { createPublisher } from '../wiring/publisher.ts';
import { loadedSettings } from '../wiring/settings.ts';
import { lambdaHandler } from './lambda-handler.ts';

const logger = new Logger({ serviceName: 'instagram-publisher' });

/** EventBridge schedule → one publisher tick. Not retried by Lambda: the next tick resumes. */
export const handler = lambdaHandler(
  logger,
  async () => createPublisher(await loadedSettings(logger), logger),
  (tick) => tick(),
);
