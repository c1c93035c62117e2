import { beforeEach, describe, expect, it } from 'vitest';
import { SqlJobHistory } from '#core/adapters/store/job-history.ts';
import { SqlMemoryRepository } from '#core/adapters/store/memories.ts';
import { SqlTurnRepository } from '#core/adapters/store/turns.ts';
import type { JobHistory } from '#core/ports/job-history.ts';
import type { TurnRepository, TurnTrace } from '#core/ports/turns.ts';
import { InMemoryJobHistory } from '#test/fakes/in-memory-job-history.ts';
import { InMemoryTurnRepository } from '#test/fakes/in-memory-turns.ts';
import { turnRequest } from '#test/runner/support/requests.ts';
import { SQL_ADAPTERS, useContractStores } from './support/contract-stores.ts';

const stores = useContractStores();
const run = Math.random().toString(36).slice(2, 8);

const trace: TurnTrace = {
  recalled: [{ id: 'm1', type: 'fact', text: 'likes teal', score: 0.5, why: { fullText: 0.5 } }],
  tools: [{ name: 'get_sum', arguments: '{"a":2,"b":40}', output: '42' }],
};
const reply = { reply: 'hi', model: { provider: 'offline', name: 'echo' }, notices: [], toolCalls: 1 };

describe.each(['in-memory', ...SQL_ADAPTERS] as const)('job history contract: %s', (name) => {
  let turns: TurnRepository;
  let history: JobHistory;
  beforeEach(async () => {
    if (name === 'in-memory') {
      const memory = new InMemoryTurnRepository();
      turns = memory;
      history = new InMemoryJobHistory(memory);
      return;
    }
    await stores().reset();
    turns = new SqlTurnRepository(stores().adapters[name]);
    history = new SqlJobHistory(stores().adapters[name]);
  });

  /** Jobs created in id order, so newest first is the reverse on every adapter. */
  async function job(n: number, tenant: string, overrides: Parameters<typeof turnRequest>[0] = {}) {
    const request = turnRequest({ id: `job-${run}-${n}`, ...overrides });
    await turns.createJob(request, { apiKeyId: `key-${tenant}`, tenant });
    return request;
  }

  it("lists a tenant's own API jobs newest first, by agent and conversation, a page at a time", async () => {
    await job(1, 'acme', { conversation: 'api:acme:c1' });
    await job(2, 'other', { conversation: 'api:other:c1' });
    await job(3, 'acme', { conversation: 'api:acme:c2', character: 'juniper' });
    const third = await job(4, 'acme', { conversation: 'api:acme:c1' });
    await turns.claim(turnRequest({ source: 'discord', conversation: 'api:acme:c1' }), { leaseSeconds: 1 });

    const ids = (rows: { id: string }[]) => rows.map((r) => r.id.replace(`job-${run}-`, ''));
    expect(ids(await history.jobs('acme'))).toEqual(['4', '3', '1']);
    expect(ids(await history.jobs('acme', { agentId: 'ada' }))).toEqual(['4', '1']);
    expect(ids(await history.jobs('acme', { conversation: 'api:acme:c2' }))).toEqual(['3']);
    expect(ids(await history.jobs('acme', { limit: 1 }))).toEqual(['4']);
    const [newest] = await history.jobs('acme', { agentId: 'ada', limit: 1 });
    expect(newest!.id).toBe(third.id);
    expect(ids(await history.jobs('acme', { agentId: 'ada', before: new Date(newest!.created_at) }))).toEqual(
      ['1'],
    );
    expect(await history.jobs('nobody')).toEqual([]);
  });

  it('pages after a job through jobs created in the same instant, each once, within the tenant', async () => {
    for (let n = 1; n <= 5; n++) await job(n, 'acme');
    await job(6, 'other');
    const at = '2030-01-01T00:00:00.000123Z';
    if (name === 'in-memory') {
      (turns as InMemoryTurnRepository).createdAllAt(new Date(at));
    } else {
      await stores().db.query('update turns set created_at = $1', [at]);
    }
    const ids = (rows: { id: string }[]) => rows.map((r) => r.id.replace(`job-${run}-`, ''));
    const seen: string[] = [];
    let afterId: string | undefined;
    for (let page = 0; page < 4; page++) {
      const rows = await history.jobs('acme', { limit: 2, ...(afterId ? { afterId } : {}) });
      seen.push(...ids(rows));
      afterId = rows.at(-1)?.id;
      if (rows.length < 2) break;
    }
    expect(seen).toEqual(['5', '4', '3', '2', '1']);
    // Another tenant's job is no place to page from.
    expect(await history.jobs('acme', { afterId: `job-${run}-6` })).toEqual([]);
  });

  it("summarises a tenant's conversations with an agent, the latest first", async () => {
    await job(1, 'acme', { conversation: 'api:acme:c1', text: 'first' });
    await job(2, 'acme', { conversation: 'api:acme:c2', text: 'elsewhere' });
    await job(3, 'acme', { conversation: 'api:acme:c1', text: 'latest' });
    await job(4, 'other', { conversation: 'api:other:c9', text: 'not yours' });

    const found = await history.conversations('acme', 'ada');
    expect(found.map((c) => [c.conversation, c.jobs, c.lastText])).toEqual([
      ['api:acme:c1', 2, 'latest'],
      ['api:acme:c2', 1, 'elsewhere'],
    ]);
    expect(found[0]!.lastAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(await history.conversations('acme', 'juniper')).toEqual([]);
  });

  it('keeps the trace an answer wrote with the reply', async () => {
    const request = await job(1, 'acme');
    const claim = await turns.claim(request, { leaseSeconds: 60 });
    await turns.answer(request.id, (claim as { attempts: number }).attempts, reply, { trace });
    expect((await turns.get(request.id))?.trace).toEqual(trace);
  });
});

describe.each(SQL_ADAPTERS)('a forgotten turn keeps no trace: %s', (name) => {
  it('is emptied by the forget and not written by an answer after it', async () => {
    await stores().reset();
    const store = stores().adapters[name];
    const turns = new SqlTurnRepository(store);
    const request = turnRequest({ user: { id: 'api:acme:sam' } });
    await turns.createJob(request, { apiKeyId: 'k', tenant: 'acme' });
    const claim = (await turns.claim(request, { leaseSeconds: 60 })) as { attempts: number };
    await turns.answer(request.id, claim.attempts, reply, { trace });
    await new SqlMemoryRepository(store).forgetUser('ada', 'api:acme:sam');
    expect((await turns.get(request.id))?.trace).toBeNull();
    await turns.answer(request.id, claim.attempts, reply, { trace });
    expect((await turns.get(request.id))?.trace).toBeNull();
  });
});
