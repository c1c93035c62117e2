import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { handle } from 'hono/aws-lambda';
import type { Hono } from 'hono';
import type { ApiEnv } from './auth.ts';

/**
 * The API app as an API Gateway (HTTP API, payload 2.0) handler via `hono/aws-lambda`. The
 * Lambda entry and the local stack both use this, so a local request takes the deployed path.
 *
 * @example
 * export const handler = apiLambda(createApiApp(deps));
 */
export function apiLambda(
  app: Hono<ApiEnv>,
): (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2> {
  const handler = handle(app);
  // hono declares its own copy of the aws-lambda event types; the shapes are the same.
  return async (event) =>
    handler(event as unknown as Parameters<typeof handler>[0]) as Promise<APIGatewayProxyStructuredResultV2>;
}
