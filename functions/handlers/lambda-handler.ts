import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy, { type MiddyfiedHandler } from '@middy/core';
import type { Context } from 'aws-lambda';
import { once } from '../wiring/once.ts';
import type { Observability } from './observability.ts';

/**
 * A Lambda handler as a middy chain: `build` runs once per container (forgotten when it fails,
 * so the next invocation tries again), `run` handles each event with what it built. Every log
 * line carries the request id and the cold-start flag; a failed build or invocation is logged
 * (one JSON line, with its request id) before it throws. Metrics recorded during the
 * invocation are flushed as EMF when it ends, with a ColdStart metric on the first; with
 * tracing, the invocation is an X-Ray segment.
 *
 * @example
 * export const handler = lambdaHandler(observability('api'), () => createApi(...), (api, event, context) => api(event, context));
 */
export function lambdaHandler<Event, Result, Built>(
  observed: Observability,
  build: () => Promise<Built>,
  run: (built: Built, event: Event, context: Context) => Promise<Result>,
): MiddyfiedHandler<Event, Result, Error, Context> {
  const { logger, metrics, tracing } = observed;
  const ready = once(build);
  const invoke = async (event: Event, context: Context): Promise<Result> => {
    const built = await ready().catch(logged(logger, 'could not start'));
    return run(built, event, context).catch(logged(logger, 'invocation failed'));
  };
  const chain = middy<Event, Result, Error, Context>(invoke);
  // Tracing first, so the segment spans the other middlewares too.
  if (tracing) chain.use(tracing);
  return chain
    .use(injectLambdaContext(logger))
    .use(logMetrics(metrics, { captureColdStartMetric: true, throwOnEmptyMetrics: false }));
}

function logged(logger: Logger, message: string) {
  return (error: unknown): never => {
    if (error instanceof Error) logger.error(message, error);
    else logger.error(message, { error: String(error) });
    throw error;
  };
}
