import { EmfMetricsSink } from '../adapters/metrics/emf-metrics.ts';
import { createPublisher } from '../wiring/publisher.ts';
import { loadedSettings } from '../wiring/settings.ts';
import { lambdaHandler } from './lambda-handler.ts';
import { traced } from './traced.ts';

const observed = traced('instagram-publisher');
const { logger } = observed;

/** EventBridge schedule → one publisher tick. Not retried by Lambda: the next tick resumes. */
export const handler = lambdaHandler(
  observed,
  async () => createPublisher(await loadedSettings(logger), logger, new EmfMetricsSink(observed.metrics)),
  (tick) => tick(),
);
