import { Logger } from '@aws-lambda-powertools/logger';
import type { SQSEvent } from 'aws-lambda';
import { createDeadLetters } from '../wiring/dead-letters.ts';
import { loadedSettings } from '../wiring/settings.ts';
import { lambdaHandler } from './lambda-handler.ts';

const logger = new Logger({ serviceName: 'dead-letters' });

/** Dead-letter queues → each turn failed with its reason and apologised for, once. */
export const handler = lambdaHandler(
  logger,
  async () => createDeadLetters(await loadedSettings(logger), logger),
  (settle, event: SQSEvent, context) => settle(event, context),
);
