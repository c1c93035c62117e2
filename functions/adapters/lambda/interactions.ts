import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { HttpResponse, InteractionHttpRequest } from '../../discord/interactions.ts';

/**
 * Wraps the interactions handler for API Gateway HTTP APIs (payload v2). The body stays raw:
 * base64-decoded to the exact bytes when API Gateway encoded it, never re-serialised, because
 * the signature covers those bytes.
 *
 * @example
 * export const handler = interactionsLambda(createInteractionsHandler(deps));
 */
export type InteractionsLambdaHandler = (
  event: APIGatewayProxyEventV2,
) => Promise<APIGatewayProxyStructuredResultV2>;

export function interactionsLambda(
  handle: (request: InteractionHttpRequest) => Promise<HttpResponse>,
): InteractionsLambdaHandler {
  return async (event) => {
    const response = await handle({
      character: event.pathParameters?.character ?? characterFromPath(event.rawPath),
      headers: event.headers ?? {},
      body: event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64') : (event.body ?? ''),
    });
    return { statusCode: response.status, headers: response.headers, body: response.body };
  };
}

/** `/discord/{character}/interactions` when the route has no path parameter (a catch-all route). */
function characterFromPath(path: string | undefined): string {
  const match = /\/discord\/([^/]+)\/interactions\/?$/.exec(path ?? '');
  try {
    return match?.[1] ? decodeURIComponent(match[1]) : '';
  } catch {
    return ''; // malformed %-escape: no such character
  }
}
