import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { requireKey, requireScope, type ApiEnv } from './auth.ts';
import type { ApiDeps } from './deps.ts';
import { errorBody } from '../http/error-body.ts';
import { ApiError, onApiError } from './errors.ts';
import { refuseNul } from './nul-guard.ts';
import { consoleAsset } from './console-page.ts';
import { openApiDocument } from './openapi.ts';
import { LIVE_FRAMES_PATH, liveFramesJsonSchema } from './ws-frames.ts';
import { memoriesRoutes } from './routes/memories.ts';
import { MCP_ROUTE_DOCS, mcpRoutes } from './routes/mcp.ts';
import { messagesRoutes } from './routes/messages.ts';
import { limitRate } from './rate-limit.ts';
import { DEFAULT_KEY_LIMITS } from '../ports/rate-limits.ts';

/** Request bodies above this are refused with 413 before they are parsed. */
export const MAX_BODY_BYTES = 64 * 1024;

/**
 * The HTTPS API as a Hono app: the Lambda handler wraps it with `hono/aws-lambda`, and the
 * local stack calls that same handler through an API Gateway v2 event, so both run one path.
 *
 * @example
 * export const handler = handle(createApiApp(deps));
 */
export function createApiApp(deps: ApiDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  const version = deps.version ?? '0.1.0';
  app.onError(onApiError(deps.log));
  app.notFound((c) =>
    c.json(
      errorBody(
        'not_found',
        `no route ${c.req.method} ${c.req.path.slice(0, 200)}; see /v1/openapi.json${deps.console ? ' or open /console' : ''}`,
      ),
      404,
    ),
  );

  app.use(
    '/v1/*',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () => {
        throw new ApiError(
          413,
          'too_large',
          `the body is over ${MAX_BODY_BYTES / 1024} KB; messages are at most 16,000 characters`,
        );
      },
    }),
  );
  app.use('/v1/*', refuseNul());
  app.get('/v1/health', (c) => c.json({ ok: true, version }));
  const extraDocs = [...MCP_ROUTE_DOCS, ...(deps.extraRoutes ?? []).flatMap((r) => r.docs ?? [])];
  // Built at the first request (zod to JSON Schema for every route: about 0.5 ms), then served as it is.
  let openApi: ReturnType<typeof openApiDocument> | undefined;
  app.get('/v1/openapi.json', (c) => c.json((openApi ??= openApiDocument(version, extraDocs))));
  app.get(LIVE_FRAMES_PATH, (c) => c.json(liveFramesJsonSchema()));
  if (deps.console) {
    const live = deps.console.live;
    app.get('/console', (c) => consoleAsset(c.req.path, live));
    app.get('/console/*', (c) => consoleAsset(c.req.path, live));
  }

  const v1 = new Hono<ApiEnv>();
  v1.use('*', requireKey(deps.authenticate));
  if (deps.rateLimiter) {
    v1.use(
      '*',
      limitRate(deps.rateLimiter, deps.limits ?? DEFAULT_KEY_LIMITS, deps.now ?? (() => new Date())),
    );
  }
  v1.get('/agents', requireScope('agents:read'), async (c) => c.json({ agents: await deps.agents() }));
  v1.route('/', messagesRoutes(deps));
  v1.route('/', memoriesRoutes(deps));
  v1.route('/', mcpRoutes(deps));
  for (const extra of deps.extraRoutes ?? []) v1.route(extra.path, extra.app);
  app.route('/v1', v1);
  return app;
}
