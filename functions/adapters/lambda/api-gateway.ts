import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { handle } from 'hono/aws-lambda';
import type { Hono } from 'hono';
import type { ApiEnv } from '../../api/auth.ts';

/**
 * The API app as an API Gateway (HTTP API, payload 2.0) handler via `hono/aws-lambda`. The
 * Lambda entry and the local stack both use this, so a local request takes the deployed path.
 * The Lambda context reaches the app as `c.env.lambdaContext`: `?wait` stops before the
 * invocation's timeout (see deadline.ts).
 *
 * @example
 * export const handler = apiLambda(createApiApp(deps));
 */
export type ApiLambdaHandler = (
  event: APIGatewayProxyEventV2,
  context?: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

export function apiLambda(app: Hono<ApiEnv>): ApiLambdaHandler {
  const handler = handle(app);
  // hono declares its own copy of the aws-lambda event and context types; the shapes are the same.
  return async (event, context) =>
    handler(
      event as unknown as Parameters<typeof handler>[0],
      context as unknown as Parameters<typeof handler>[1],
    ) as Promise<APIGatewayProxyStructuredResultV2>;
}
