import { Hono } from 'hono';
import { requireScope, type ApiEnv } from '../auth.ts';
import type { RouteDoc } from '../openapi.ts';
import { query } from '../validate.ts';
import type { UsageRepository } from '../../ports/usage.ts';
import { toSummaryQuery, usageQuerySchema } from '../../usage/usage-query.ts';
import { usageReport } from '../../usage/usage-view.ts';

export const USAGE_ROUTE_DOCS: RouteDoc[] = [
  {
    method: 'get',
    path: '/v1/usage',
    summary: 'Turns, tokens and cost per day, character, user or model (scope usage:read)',
    scope: 'usage:read',
    query: usageQuerySchema,
    responses: { 200: { description: 'the usage report' } },
  },
];

/**
 * GET /v1/usage?by=&from=&to=&character=&userId=: what turns used and cost, from the usage
 * ledger, in the same figures as `carrier usage`. `userPrefix` keeps a caller to its own users.
 *
 * @example
 * createApiApp({ ...deps, extraRoutes: [usageApi(new SqlUsageRepository(store))] });
 */
export function usageApi(usage: UsageRepository, userPrefix?: string) {
  const app = new Hono<ApiEnv>();
  app.get('/usage', requireScope('usage:read'), async (c) => {
    const q = query(c, usageQuerySchema);
    const rows = await usage.summary(toSummaryQuery(q, userPrefix));
    return c.json(usageReport(q, rows));
  });
  return { path: '/', app, docs: USAGE_ROUTE_DOCS };
}
