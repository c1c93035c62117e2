import type { SQSEvent } from 'aws-lambda';
import { createDeadLetters } from '../wiring/dead-letters.ts';
import { loadedSettings } from '../wiring/settings.ts';
import { lambdaHandler } from './lambda-handler.ts';
import { traced } from './traced.ts';

const observed = traced('dead-letters');
const { logger } = observed;

/** Dead-letter queues → each turn failed with its reason and apologised for, once. */
export const handler = lambdaHandler(
  observed,
  async () => createDeadLetters(await loadedSettings(logger), logger),
  (settle, event: SQSEvent, context) => settle(event, context),
);
