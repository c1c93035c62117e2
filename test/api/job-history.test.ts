import { Hono } from 'hono';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ApiEnv } from '#core/api/auth.ts';
import { onApiError } from '#core/api/errors.ts';
import { charactersApi } from '#core/api/routes/characters.ts';
import { jobHistoryRoutes, type JobHistoryDeps } from '#core/api/routes/job-history.ts';
import { characterReport } from '#core/characters/report.ts';
import { SqlJobHistory } from '#core/adapters/store/job-history.ts';
import { SqlTurnRepository } from '#core/adapters/store/turns.ts';
import type { Scope } from '#core/ports/api-keys.ts';
import { storedApiId } from '#core/turns/api-ids.ts';
import { InMemoryJobHistory } from '#test/fakes/in-memory-job-history.ts';
import { InMemoryTurnRepository } from '#test/fakes/in-memory-turns.ts';
import { emptyTables, useMigratedPglite } from '#test/support/pglite.ts';
import { turnRequest } from '#test/runner/support/requests.ts';

let turns: InMemoryTurnRepository;

/**
 * The routes as the API mounts them: under /v1, after the key check set a principal. Over the
 * in-memory turns unless `over` names the history and turns to read.
 */
function app(
  tenant = 'acme',
  scopes: Scope[] = ['messages', 'memories:read'],
  subject?: { issuer: string; sub: string },
  over: Pick<JobHistoryDeps, 'history' | 'turns'> = { history: new InMemoryJobHistory(turns), turns },
) {
  const root = new Hono<ApiEnv>();
  root.onError(onApiError());
  root.use('*', async (c, next) => {
    c.set('principal', { keyId: `key-${tenant}`, tenant, scopes, ...(subject ? { subject } : {}) });
    await next();
  });
  const agents = async () => [{ id: 'ada', name: 'Ada' }];
  root.route('/v1', jobHistoryRoutes({ ...over, agents }));
  return root;
}

async function answeredJob(tenant: string, n: number, conversation = 'c1') {
  const request = turnRequest({
    id: `job-${n}`,
    conversation: storedApiId(tenant, conversation),
    user: { id: storedApiId(tenant, 'sam') },
    text: `question ${n}`,
  });
  await turns.createJob(request, { apiKeyId: `key-${tenant}`, tenant });
  await turns.claim(request, { leaseSeconds: 60 });
  await turns.answer(
    request.id,
    1,
    { reply: `answer ${n}`, model: { provider: 'offline', name: 'offline' }, notices: [], toolCalls: 1 },
    {
      timings: { recallMs: 1, modelMs: 2, storeMs: 0, totalMs: 3 },
      usage: { inputTokens: 10, outputTokens: 5, costMicroUsd: 0 },
      trace: {
        recalled: [{ id: 'm1', type: 'fact', text: 'Sam likes teal', score: 0.03, why: { fullTextRank: 1 } }],
        tools: [{ name: 'get_sum', arguments: '{"a":2,"b":40}', output: '42' }],
      },
    },
  );
  return request.id;
}

beforeEach(() => {
  turns = new InMemoryTurnRepository();
});

describe('the job history routes', () => {
  it("lists the tenant's own jobs and conversations in its own ids, never another tenant's", async () => {
    await answeredJob('acme', 1);
    await answeredJob('globex', 2);
    await answeredJob('acme', 3, 'c2');
    const { jobs } = (await (await app().request('/v1/jobs?agentId=ada')).json()) as {
      jobs: Array<{ id: string; conversationId: string; userId: string }>;
    };
    expect(jobs.map((j) => [j.id, j.conversationId, j.userId])).toEqual([
      ['job-3', 'c2', 'sam'],
      ['job-1', 'c1', 'sam'],
    ]);
    const one = (await (await app().request('/v1/jobs?conversationId=c1')).json()) as { jobs: unknown[] };
    expect(one.jobs).toHaveLength(1);

    const res = await app().request('/v1/agents/ada/conversations');
    expect(await res.json()).toEqual({
      conversations: [
        { conversationId: 'c2', userId: 'sam', jobs: 1, lastAt: expect.any(String), lastText: 'question 3' },
        { conversationId: 'c1', userId: 'sam', jobs: 1, lastAt: expect.any(String), lastText: 'question 1' },
      ],
    });
    expect((await app().request('/v1/agents/bob/conversations')).status).toBe(404);
  });

  it('shows how a job was answered, recalled memories only to a key that may read memories', async () => {
    const id = await answeredJob('acme', 1);
    const trace = await (await app().request(`/v1/jobs/${id}/trace`)).json();
    expect(trace).toMatchObject({
      job: { id, status: 'done', reply: 'answer 1', attempts: 1 },
      timings: { totalMs: 3 },
      model: { provider: 'offline', name: 'offline' },
      recalled: [{ text: 'Sam likes teal', why: { fullTextRank: 1 } }],
      tools: [{ name: 'get_sum', arguments: '{"a":2,"b":40}', output: '42' }],
    });
    const narrow = await (await app('acme', ['messages']).request(`/v1/jobs/${id}/trace`)).json();
    expect(narrow).not.toHaveProperty('recalled');
    expect(narrow).toMatchObject({ tools: [{ name: 'get_sum' }] });
    expect((await app('globex').request(`/v1/jobs/${id}/trace`)).status).toBe(404);
    expect((await app('acme', ['agents:read']).request(`/v1/jobs/${id}/trace`)).status).toBe(403);
  });

  it("refuses a signed-in user the tenant's listings, with 403 saying they need an API key", async () => {
    await answeredJob('acme', 1);
    const alice = app('acme', ['messages'], { issuer: 'app', sub: 'alice' });
    for (const path of ['/v1/jobs', '/v1/agents/ada/conversations']) {
      const res = await alice.request(path);
      expect(res.status).toBe(403);
      expect(await res.json()).toEqual({
        error: { code: 'forbidden', message: expect.stringContaining('call it with an API key') },
      });
    }
  });

  it('pages with ?after=<next> through jobs created in the same instant, each once', async () => {
    for (let n = 1; n <= 5; n++) await answeredJob('acme', n);
    const instant = new Date('2030-01-01T00:00:00.000Z');
    turns.createdAllAt(instant);
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 5; page++) {
      const res = await app().request(`/v1/jobs?limit=2${after ? `&after=${after}` : ''}`);
      const body = (await res.json()) as { jobs: Array<{ id: string }>; next: string | null };
      seen.push(...body.jobs.map((j) => j.id));
      after = body.next;
      if (!after) break;
    }
    expect(seen).toEqual(['job-5', 'job-4', 'job-3', 'job-2', 'job-1']);
    expect(after).toBeNull();

    await answeredJob('globex', 9);
    for (const other of ['job-9', 'nope']) {
      const res = await app().request(`/v1/jobs?after=${other}`);
      expect(res.status, other).toBe(400);
      expect(await res.json()).toMatchObject({
        error: { code: 'invalid_request', details: [{ path: 'query.after' }] },
      });
    }
  });

  it('names each bad query parameter', async () => {
    const res = await app().request('/v1/jobs?before=yesterday&limit=0&colour=red');
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as { error: { details: Array<{ path: string }> } };
    expect(error.details.map((d) => d.path).sort()).toEqual(['query', 'query.before', 'query.limit']);
    const words = await (await app().request('/v1/jobs?limit=abc')).json();
    expect(words).toMatchObject({
      error: { details: [{ path: 'query.limit', message: 'must be a whole number from 1 to 100' }] },
    });
  });
});

describe('the job list over the SQL turns', () => {
  const store = useMigratedPglite();
  beforeEach(() => emptyTables(store()));
  const sql = (scopes?: Scope[]) =>
    app('acme', scopes, undefined, {
      history: new SqlJobHistory(store()),
      turns: new SqlTurnRepository(store()),
    });

  it("refuses with 400 an ?after= that is no page's `next`, another tenant's job included", async () => {
    const jobs = new SqlTurnRepository(store());
    await jobs.createJob(turnRequest({ id: 'job-theirs' }), { apiKeyId: 'key-globex', tenant: 'globex' });
    expect(await jobs.get('job-theirs')).toMatchObject({ tenant: 'globex' });
    for (const after of ['garbage', 'job-theirs']) {
      const res = await sql().request(`/v1/jobs?after=${after}`);
      expect(res.status, after).toBe(400);
      expect(await res.json()).toEqual({
        error: {
          code: 'invalid_request',
          message: `after must be the \`next\` value of an earlier page of GET /v1/jobs, and "${after}" is not one: leave it out for the first page`,
          details: [{ path: 'query.after', message: "expected the previous page's `next`" }],
        },
      });
    }
  });

  it('answers 404 unknown_agent for an ?agentId= not served here, as every route does', async () => {
    const res = await sql(['messages', 'agents:read']).request('/v1/jobs?agentId=nobody');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      error: { code: 'unknown_agent', message: 'no agent "nobody"; known agents: ada' },
    });
    // A key that may not list the agents is told where they are listed instead.
    const narrow = await (await sql(['messages']).request('/v1/jobs?agentId=nobody')).json();
    expect(narrow).toMatchObject({
      error: { code: 'unknown_agent', message: expect.stringContaining('agents:read scope') },
    });
    expect(await (await sql().request('/v1/jobs?agentId=ada')).json()).toEqual({ jobs: [], next: null });
  });
});

describe('GET /v1/characters', () => {
  it('reports every file, with the problems of the ones that do not validate', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'carrier-characters-'));
    await writeFile(join(dir, 'ada.json'), JSON.stringify({ name: 'Ada', bio: 'concise' }));
    await writeFile(join(dir, 'broken.json'), JSON.stringify({ name: 'Broken', temperature: 'hot' }));
    const root = new Hono<ApiEnv>();
    root.use('*', async (c, next) => {
      c.set('principal', { keyId: 'k', tenant: 'k', scopes: ['agents:read'] });
      await next();
    });
    const api = charactersApi(() => characterReport(dir));
    root.route('/v1', api.app);
    const report = (await (await root.request('/v1/characters')).json()) as {
      characters: Array<{ id: string; name: string | null; problems: Array<{ path: string }> }>;
    };
    expect(report.characters.map((c) => [c.id, c.name, c.problems.map((p) => p.path)])).toEqual([
      ['ada', 'Ada', []],
      ['broken', null, ['temperature']],
    ]);
  });
});
