import { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { MiddlewareObj } from '@middy/core';
import { carrierMetrics } from '../adapters/metrics/emf-metrics.ts';

/** What a handler's middy chain reports through: logs, EMF metrics and, where it pays, X-Ray traces. */
export interface Observability {
  logger: Logger;
  metrics: Metrics;
  /** Tracer's captureLambdaHandler; absent on functions that skip the X-Ray SDK's cold-start cost. */
  tracing?: MiddlewareObj;
}

/**
 * Logger and Metrics for one function, named after it (see traced.ts for the tracer).
 *
 * @example
 * export const handler = lambdaHandler(observability('discord-interactions'), build, run);
 */
export function observability(serviceName: string): Observability {
  const logger = new Logger({ serviceName });
  return { logger, metrics: carrierMetrics(serviceName, logger) };
}
