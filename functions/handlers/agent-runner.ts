import type { SQSEvent } from 'aws-lambda';
import { EmfMetricsSink } from '../adapters/metrics/emf-metrics.ts';
import { createRunner } from '../wiring/runner.ts';
import { loadedSettings } from '../wiring/settings.ts';
import { lambdaHandler } from './lambda-handler.ts';
import { traced } from './traced.ts';

const observed = traced('agent-runner');
const { logger } = observed;

/** SQS FIFO batch → one turn per record, partial batch failures reported per group; one EMF document per turn. */
export const handler = lambdaHandler(
  observed,
  async () => createRunner(await loadedSettings(logger), logger, new EmfMetricsSink(observed.metrics)),
  async (runner, event: SQSEvent, context) => {
    try {
      return await runner.handle(event, context);
    } finally {
      await runner.settle(); // reflection runs off the reply's path, before the container freezes
    }
  },
);
