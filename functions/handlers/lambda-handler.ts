import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy, { type MiddyfiedHandler } from '@middy/core';
import type { Context } from 'aws-lambda';
import { once } from '../wiring/once.ts';

/**
 * A Lambda handler as a middy chain: `build` runs once per container (forgotten when it fails,
 * so the next invocation tries again), `run` handles each event with what it built. Every log
 * line carries the request id and the cold-start flag; a failed build or invocation is logged
 * (one JSON line, with its request id) before it throws.
 *
 * @example
 * export const handler = lambdaHandler(logger, () => createApi(...), (api, event, context) => api(event, context));
 */
export function lambdaHandler<Event, Result, Built>(
  logger: Logger,
  build: () => Promise<Built>,
  run: (built: Built, event: Event, context: Context) => Promise<Result>,
): MiddyfiedHandler<Event, Result, Error, Context> {
  const ready = once(build);
  const invoke = async (event: Event, context: Context): Promise<Result> => {
    const built = await ready().catch(logged(logger, 'could not start'));
    return run(built, event, context).catch(logged(logger, 'invocation failed'));
  };
  return middy<Event, Result, Error, Context>(invoke).use(injectLambdaContext(logger));
}

function logged(logger: Logger, message: string) {
  return (error: unknown): never => {
    if (error instanceof Error) logger.error(message, error);
    else logger.error(message, { error: String(error) });
    throw error;
  };
}
