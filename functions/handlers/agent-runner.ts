import { Logger } from '@aws-lambda-powertools/logger';
import type { SQSEvent } from 'aws-lambda';
import { createRunner } from '../wiring/runner.ts';
import { loadedSettings } from '../wiring/settings.ts';
import { lambdaHandler } from './lambda-handler.ts';

const logger = new Logger({ serviceName: 'agent-runner' });

/** SQS FIFO batch → one turn per record, partial batch failures reported per group. */
export const handler = lambdaHandler(
  logger,
  async () => createRunner(await loadedSettings(logger), logger),
  async (runner, event: SQSEvent, context) => {
    try {
      return await runner.handle(event, context);
    } finally {
      await runner.settle(); // reflection runs off the reply's path, before the container freezes
    }
  },
);
