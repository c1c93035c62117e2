import { Hono } from 'hono';
import { requireScope, type ApiEnv } from '../auth.ts';
import type { RouteDoc } from '../openapi.ts';
import { query } from '../validate.ts';
import { callerApiId, storedApiId, tenantPrefix } from '../../turns/api-ids.ts';
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
 * ledger, in the same figures as `carrier usage`, over the caller's tenant's users only (a
 * Discord user or another tenant's never counts); user ids are the caller's own spelling.
 *
 * @example
 * createApiApp({ ...deps, extraRoutes: [usageApi(new SqlUsageRepository(store))] });
 */
export function usageApi(usage: UsageRepository) {
  const app = new Hono<ApiEnv>();
  app.get('/usage', requireScope('usage:read'), async (c) => {
    const q = query(c, usageQuerySchema);
    // Tenant rules: only the caller's tenant's users count, written and shown as the caller knows them.
    const { tenant } = c.get('principal');
    const scoped = { ...q, ...(q.userId ? { userId: storedApiId(tenant, q.userId) } : {}) };
    const rows = await usage.summary(toSummaryQuery(scoped, tenantPrefix(tenant)));
    const shown =
      q.by === 'user' ? rows.map((r) => ({ ...r, key: callerApiId(tenant, r.key) ?? r.key })) : rows;
    return c.json(usageReport(q, shown));
  });
  return { path: '/', app, docs: USAGE_ROUTE_DOCS };
}
