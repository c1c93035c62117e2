import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { errorBody } from '../http/error-body.ts';
import { invokeHttpLambda, type HttpLambda } from './apigw-event.ts';

export interface LocalRoutes {
  /** The API Lambda handler: every `/v1/*` request. */
  api: HttpLambda;
  /** The interactions Lambda handler: `POST /discord/{character}/interactions`. */
  interactions?: HttpLambda;
  /**
   * The API app itself, for the routes that stream (`GET /v1/jobs/{id}/events`): an API Gateway
   * event buffers the whole answer, so these are served by the app directly, as a streaming
   * function URL serves them deployed.
   */
  streaming?: (request: Request) => Response | Promise<Response>;
}

const STREAMING = /^\/v1\/jobs\/[^/]+\/events\/?$/;

const INTERACTIONS = /^\/discord\/([^/]+)\/interactions\/?$/;

/**
 * Serves the deployed routes on one port, each request turned into the API Gateway v2 event its
 * Lambda handler would get, so the local stack runs the handlers unchanged.
 *
 * @example
 * const server = await listen({ api: apiHandler }, { port: 3000 });
 */
export async function listen(
  routes: LocalRoutes,
  options: { port: number; hostname?: string },
): Promise<{ server: ServerType; port: number; close(): Promise<void> }> {
  const fetch = async (request: Request): Promise<Response> => {
    const path = new URL(request.url).pathname;
    if (routes.streaming && STREAMING.test(path)) return routes.streaming(request);
    if (path.startsWith('/v1/') || path === '/v1') return invokeHttpLambda(routes.api, request);
    const discord = INTERACTIONS.exec(path);
    if (discord && routes.interactions && request.method === 'POST') {
      return invokeHttpLambda(routes.interactions, request, { character: decodeURIComponent(discord[1]!) });
    }
    return Response.json(
      errorBody(
        'not_found',
        `no route ${request.method} ${path}; the API is under /v1 (see /v1/openapi.json)`,
      ),
      { status: 404 },
    );
  };
  const server = await new Promise<ServerType>((resolve, reject) => {
    const s = serve({ fetch, port: options.port, hostname: options.hostname ?? '127.0.0.1' }, () =>
      resolve(s),
    );
    s.once('error', reject);
  });
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        // Idle keep-alive sockets would hold close() open.
        if ('closeAllConnections' in server) server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
