import { getRequestListener } from '@hono/node-server';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { MAX_BODY_BYTES } from '../api/app.ts';
import { errorBody } from '../http/error-body.ts';
import { invokeHttpLambda, type HttpLambda } from './apigw-event.ts';
import { limitedBody } from './request-body.ts';

export interface LocalRoutes {
  /** The API Lambda handler: every `/v1/*` request, and the console's page at `/console`. */
  api: HttpLambda;
  /** The interactions Lambda handler: `POST /discord/{character}/interactions`. */
  interactions?: HttpLambda;
  /**
   * The API app itself, for the route that streams (`GET /v1/jobs/{id}/events`): an API Gateway
   * event buffers the whole answer, so it is served by the app directly, as a streaming function
   * URL serves it deployed.
   */
  streaming?: (request: Request) => Response | Promise<Response>;
}

const STREAMING = /^\/v1\/jobs\/[^/]+\/events\/?$/;
const CONSOLE = /^\/console(\/.*)?$/;
const INTERACTIONS = /^\/discord\/([^/]+)\/interactions\/?$/;

/**
 * Serves the deployed routes on one port, each request turned into the API Gateway v2 event its
 * Lambda handler would get, so the local stack runs the handlers unchanged. Like API Gateway in
 * front of them it answers what no handler should see, each in the one error shape: a body over
 * the limit (413, read no further, connection closed), a path that is not valid
 * percent-encoding (400), a request target that is not a path and malformed HTTP (400).
 *
 * @example
 * const server = await listen({ api: apiHandler }, { port: 3000 });
 */
export async function listen(
  routes: LocalRoutes,
  options: { port: number; hostname?: string },
): Promise<{ server: Server; port: number; close(): Promise<void> }> {
  const server = createServer(
    getRequestListener((request) => route(routes, request), {
      // What @hono/node-server cannot turn into a Request (a target that is not a path).
      errorHandler: () => failure(400, 'bad_request', 'the request target is not a valid URL path'),
    }),
  );
  // Longer than clients keep idle sockets (undici: 4 s), so a socket a client reuses is never
  // closed by the server under its next request (ECONNRESET under load).
  server.keepAliveTimeout = 30_000;
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => refuseMalformed(error, socket));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.hostname ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        // Idle keep-alive sockets would hold close() open.
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function route(routes: LocalRoutes, request: Request): Promise<Response> {
  const path = new URL(request.url).pathname;
  // As API Gateway: a path that does not decode reaches no handler (`%zz` would read as a name).
  if (decoded(path) === undefined) {
    return failure(400, 'bad_request', `the path ${path.slice(0, 200)} is not valid percent-encoding`);
  }
  if (routes.streaming && request.method === 'GET' && STREAMING.test(path)) return routes.streaming(request);
  const api = path.startsWith('/v1/') || path === '/v1' || CONSOLE.test(path);
  const discord = api ? null : INTERACTIONS.exec(path);
  if (!api && !(discord && routes.interactions && request.method === 'POST')) {
    return failure(
      404,
      'not_found',
      `no route ${request.method} ${path.slice(0, 200)}; the API is under /v1 (see /v1/openapi.json), the console at /console`,
    );
  }
  const character = discord ? decoded(discord[1]!) : undefined;
  const body = await limitedBody(request, MAX_BODY_BYTES);
  if (!body) {
    return failure(413, 'too_large', `the body is over ${MAX_BODY_BYTES / 1024} KB`, { connection: 'close' });
  }
  const buffered = new Request(request.url, {
    method: request.method,
    headers: request.headers,
    ...(body.byteLength && request.method !== 'GET' && request.method !== 'HEAD' ? { body } : {}),
  });
  return discord
    ? invokeHttpLambda(routes.interactions!, buffered, { character: character! })
    : invokeHttpLambda(routes.api, buffered);
}

function decoded(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

function failure(status: number, code: string, message: string, headers: Record<string, string> = {}) {
  return Response.json(errorBody(code, message), { status, headers });
}

/** Malformed HTTP never reaches a handler: a 400 (431 for oversized headers) in the one shape, then close. */
function refuseMalformed(error: NodeJS.ErrnoException, socket: Socket): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
  const body = JSON.stringify(
    tooLarge
      ? errorBody('headers_too_large', 'the request headers are too large')
      : errorBody('bad_request', 'the request is not valid HTTP/1.1'),
  );
  socket.end(
    `HTTP/1.1 ${tooLarge ? '431 Request Header Fields Too Large' : '400 Bad Request'}\r\n` +
      `content-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}
