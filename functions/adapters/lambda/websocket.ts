import type { WsEvent } from '../../api/ws-session.ts';

/**
 * What API Gateway sends a WebSocket route's Lambda (the fields used here). `$connect` carries
 * the upgrade request's headers and query; other routes carry the frame in `body`.
 */
export interface WebSocketLambdaEvent {
  requestContext: { routeKey: string; connectionId: string };
  headers?: Record<string, string | undefined>;
  queryStringParameters?: Record<string, string | undefined> | null;
  body?: string | null;
  isBase64Encoded?: boolean;
}

/**
 * The event as the WebSocket use case takes it: the key looked up as the HTTP API does
 * (`Authorization: Bearer`, `x-api-key`, headers in any case) or from `?key=`, the body decoded.
 *
 * @example
 * const event = wsEvent(lambdaEvent); // { route: '$connect', connectionId: 'abc=', key: 'ck_…' }
 */
export function wsEvent(event: WebSocketLambdaEvent): WsEvent {
  const header = (name: string) =>
    Object.entries(event.headers ?? {}).find(([k]) => k.toLowerCase() === name)?.[1];
  const bearer = /^Bearer\s+(\S+)$/i.exec(header('authorization') ?? '')?.[1];
  const key = bearer ?? header('x-api-key') ?? event.queryStringParameters?.key ?? undefined;
  const body =
    event.body && event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  return {
    route: event.requestContext.routeKey,
    connectionId: event.requestContext.connectionId,
    ...(key ? { key } : {}),
    ...(body ? { body } : {}),
  };
}
