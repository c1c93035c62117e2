import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyResult,
  APIGatewayProxyStructuredResultV2,
} from 'aws-lambda';
import { randomUUID } from 'node:crypto';

/** A Lambda handler behind an API Gateway HTTP API (payload format 2.0). */
export type HttpLambda = (
  event: APIGatewayProxyEventV2,
) => Promise<APIGatewayProxyStructuredResultV2 | APIGatewayProxyResult>;

// API Gateway passes these bodies as text and base64-encodes everything else.
const TEXT_TYPES = /^(text\/|application\/(json|xml|x-www-form-urlencoded|javascript)|[^;]*\+json)/i;

/**
 * Turns a fetch Request into the event API Gateway (HTTP API, payload 2.0) would send, so the
 * local stack invokes the deployed handlers unchanged.
 *
 * @example
 * const event = await toApiGatewayEvent(request, { character: 'ada' });
 */
export async function toApiGatewayEvent(
  request: Request,
  pathParameters?: Record<string, string>,
  sourceIp = '127.0.0.1',
): Promise<APIGatewayProxyEventV2> {
  const url = new URL(request.url);
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => {
    headers[name] = value;
  });
  const cookies = request.headers.get('cookie')?.split(/;\s*/).filter(Boolean);
  const query: Record<string, string> = {};
  url.searchParams.forEach((value, name) => {
    query[name] = name in query ? `${query[name]},${value}` : value;
  });
  const bytes = Buffer.from(await request.arrayBuffer());
  const text = TEXT_TYPES.test(request.headers.get('content-type') ?? '');
  const now = new Date();
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    ...(cookies?.length ? { cookies } : {}),
    headers,
    ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
    ...(pathParameters ? { pathParameters } : {}),
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: url.host,
      domainPrefix: url.hostname.split('.')[0] ?? url.hostname,
      http: {
        method: request.method,
        path: url.pathname,
        protocol: 'HTTP/1.1',
        sourceIp,
        userAgent: request.headers.get('user-agent') ?? '',
      },
      requestId: randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...(bytes.length ? { body: text ? bytes.toString('utf8') : bytes.toString('base64') } : {}),
    isBase64Encoded: bytes.length > 0 && !text,
  };
}

/** Turns a handler's API Gateway result back into a fetch Response. */
export function fromApiGatewayResult(
  result: APIGatewayProxyStructuredResultV2 | APIGatewayProxyResult,
): Response {
  const headers = new Headers();
  for (const [name, value] of Object.entries(result.headers ?? {})) headers.set(name, String(value));
  for (const [name, values] of Object.entries(
    ('multiValueHeaders' in result && result.multiValueHeaders) || {},
  )) {
    for (const value of values) headers.append(name, String(value));
  }
  for (const cookie of ('cookies' in result && result.cookies) || []) headers.append('set-cookie', cookie);
  const status = result.statusCode ?? 200;
  const body =
    result.body === undefined || result.body === '' || status === 204 || status === 304
      ? null
      : result.isBase64Encoded
        ? Buffer.from(result.body, 'base64')
        : result.body;
  return new Response(body, { status, headers });
}

/** Calls a Lambda HTTP handler with a Request, the way API Gateway would. */
export async function invokeHttpLambda(
  handler: HttpLambda,
  request: Request,
  pathParameters?: Record<string, string>,
): Promise<Response> {
  return fromApiGatewayResult(await handler(await toApiGatewayEvent(request, pathParameters)));
}
