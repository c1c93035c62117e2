import { Hono } from 'hono';
import { errorBody } from '../http/error-body.ts';
import type { Log } from '../ports/log.ts';
import { requireKey, type ApiEnv, type Authenticate } from './auth.ts';
import { onApiError } from './errors.ts';
import { jobEventsRoutes, type JobEventsDeps } from './routes/job-events.ts';

export interface JobEventsAppDeps extends JobEventsDeps {
  authenticate: Authenticate;
  log?: Log;
}

/**
 * GET /v1/jobs/{id}/events alone, for the deployed stream (a Lambda function URL in
 * response-streaming mode: HTTP APIs cannot stream). The same route, key check, scope and tenant
 * rule as the HTTP API's; the key comes as `x-api-key` there, since IAM signs `Authorization`.
 *
 * @example
 * export const handler = streamHandle(jobEventsApp({ authenticate, turns, events }));
 */
export function jobEventsApp(deps: JobEventsAppDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  app.onError(onApiError(deps.log));
  app.notFound((c) =>
    c.json(
      errorBody(
        'not_found',
        `no route ${c.req.method} ${c.req.path}; this URL serves GET /v1/jobs/{id}/events`,
      ),
      404,
    ),
  );
  app.use('/v1/*', requireKey(deps.authenticate));
  app.route('/v1', jobEventsRoutes(deps));
  return app;
}
