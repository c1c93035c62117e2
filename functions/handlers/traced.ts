import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { observability, type Observability } from './observability.ts';

/**
 * Logger, Metrics and Tracer for one function. Tracing is on in Lambda only (Powertools turns
 * it off elsewhere); the X-Ray SDK traces outbound HTTPS, so AWS SDK calls, model calls and
 * webhooks show up as subsegments.
 *
 * @example
 * export const handler = lambdaHandler(traced('agent-runner'), build, run);
 */
export function traced(serviceName: string): Observability {
  const tracer = new Tracer({ serviceName });
  return { ...observability(serviceName), tracing: captureLambdaHandler(tracer) };
}
