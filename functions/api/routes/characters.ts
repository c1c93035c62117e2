import { Hono } from 'hono';
import { z } from 'zod';
import type { CharacterReport } from '../../characters/report.ts';
import { requireScope, type ApiEnv } from '../auth.ts';
import type { RouteDoc } from '../openapi.ts';

const problem = z.object({ path: z.string(), message: z.string() });
const reportSchema = z.object({
  characters: z.array(
    z.object({
      id: z.string(),
      file: z.string(),
      name: z.string().nullable(),
      model: z.string().nullable(),
      mcpServers: z.array(z.string()),
      problems: z.array(problem).describe('empty when the file is valid'),
    }),
  ),
  problems: z
    .array(problem.extend({ file: z.string() }))
    .describe("the folder's: names that give no or the same id"),
});

export const CHARACTERS_ROUTE_DOCS: RouteDoc[] = [
  {
    method: 'get',
    path: '/v1/characters',
    summary: 'Every character file, read now, with its validation problems',
    scope: 'agents:read',
    responses: { 200: { description: 'the character files', schema: reportSchema } },
  },
];

/**
 * GET /v1/characters (scope `agents:read`): the character files and what is wrong with them, as
 * `carrier characters validate` reports it. The files are the deployment's, not a tenant's.
 *
 * @example
 * createApiApp({ ...deps, extraRoutes: [charactersApi(() => characterReport())] });
 */
export function charactersApi(report: () => Promise<CharacterReport>) {
  const app = new Hono<ApiEnv>();
  app.get('/characters', requireScope('agents:read'), async (c) => c.json(await report()));
  return { path: '/', app, docs: CHARACTERS_ROUTE_DOCS };
}
