import { describe, expect, it } from 'vitest';
import { SqlMemoryRepository } from '#core/adapters/store/memories.ts';
import { memoryAdmin } from '#core/memory/memory-admin.ts';
import { StoreMemory } from '#core/memory/store-memory.ts';
import type { ExtractedFact } from '#core/ports/memory-records.ts';
import { processTurnRequest } from '#core/turns/process-turn.ts';
import { requeueUnqueued } from '#core/turns/requeue.ts';
import { EchoModel } from './support/echo-model.ts';
import { turnRequest } from './support/requests.ts';
import { testRunnerDeps } from './support/runner-deps.ts';
import { SqlTurnRepository } from '#core/adapters/store/turns.ts';
import { useMigratedPglite } from '#test/support/pglite.ts';

// Forgetting is the SQL's (memory_forget_user and its trigger): these run on a migrated PGlite.
const store = useMigratedPglite();
const shared = {
  get store() {
    return store();
  },
  get turns() {
    return new SqlTurnRepository(store());
  },
};

/** A promise and the function that settles it: a step the test lets go when it is ready. */
function gate<T = void>() {
  let open!: (value: T) => void;
  const closed = new Promise<T>((resolve) => (open = resolve));
  return { closed, open };
}

function setup(extract: () => Promise<ExtractedFact[]>, model = new EchoModel()) {
  const repository = new SqlMemoryRepository(shared.store);
  const memory = new StoreMemory(repository, { extractFacts: extract });
  const forget = memoryAdmin(repository).forget;
  const deps = testRunnerDeps(shared.turns, model, { memory, forget });
  const userMemories = async (userId: string) =>
    (await repository.list({ agentId: 'ada', userId, limit: 50 })).map((m) => m.text);
  return { ...deps, memory, forget, userMemories };
}

describe('/forget in every state', () => {
  it('keeps out a reflection that finishes after the forget', async () => {
    const reflecting = gate<ExtractedFact[]>();
    let reflections = 0;
    const t = setup(async () => (reflections++ === 0 ? reflecting.closed : []));
    const request = turnRequest({ user: { id: 'u-reflect' }, text: 'my bank PIN is 4921' });
    expect(await processTurnRequest(request, { receiveCount: 1 }, t.runner)).toBe('answered');
    // The reply is out and the turn done; reflection is still working on it.
    await t.forget({ agentId: 'ada', userId: 'u-reflect' });
    reflecting.open([{ text: 'The user’s bank PIN is 4921', key: 'bank_pin', value: '4921' }]);
    await t.memory.settle();
    expect(await t.userMemories('u-reflect')).toEqual([]);
    expect(await shared.turns.get(request.id)).toBeUndefined();

    // What the user says after the forget is remembered as usual.
    const after = turnRequest({ user: { id: 'u-reflect' }, text: 'call me Sam' });
    await processTurnRequest(after, { receiveCount: 1 }, t.runner);
    await t.memory.settle();
    expect(await t.userMemories('u-reflect')).toEqual(['echo: call me Sam', 'call me Sam']);
  });

  it('scrubs a turn that is running, which still answers but stores and keeps nothing of it', async () => {
    const thinking = gate();
    const model = new EchoModel(async () => thinking.closed);
    const t = setup(async () => [{ text: 'The user likes teal' }], model);
    const request = turnRequest({ user: { id: 'u-running' }, text: 'I like teal' });
    const running = processTurnRequest(request, { receiveCount: 1 }, t.runner);
    for (let i = 0; model.calls === 0 && i < 500; i++) await new Promise((r) => setTimeout(r, 5));

    const { deleted } = await t.forget({ agentId: 'ada', userId: 'u-running' });
    expect(deleted).toBe(0);
    expect(await shared.turns.get(request.id)).toMatchObject({
      status: 'running',
      forgotten_at: expect.anything(),
    });
    thinking.open();
    expect(await running).toBe('answered');
    await t.memory.settle();

    // The user asked before forgetting and gets the answer; nothing of it stays.
    expect(t.delivery.sent.map((s) => s.outcome)).toEqual([{ kind: 'reply', text: 'echo: I like teal' }]);
    expect(await t.userMemories('u-running')).toEqual([]);
    expect(await shared.turns.get(request.id)).toMatchObject({ status: 'done', result: { reply: '' } });
  });

  it('removes finished turns and empties the text of queued and answered ones', async () => {
    const t = setup(async () => []);
    const user = { id: 'u-states' };
    const done = turnRequest({ user, text: 'done text' });
    await processTurnRequest(done, { receiveCount: 1 }, t.runner);
    const queued = turnRequest({ user, text: 'queued text', reply: { kind: 'api', jobId: 'q' } });
    await shared.turns.createJob(queued, { apiKeyId: 'k', tenant: 'k' });
    const answered = turnRequest({ user, text: 'answered text' });
    const { attempts } = (await shared.turns.claim(answered, { leaseSeconds: 60 })) as { attempts: number };
    await shared.turns.answer(answered.id, attempts, {
      reply: 'answered reply',
      model: { provider: 'offline', name: 'x' },
      notices: [],
      toolCalls: 0,
    });

    await t.forget({ agentId: 'ada', userId: 'u-states' });
    expect(await shared.turns.get(done.id)).toBeUndefined();
    expect(await shared.turns.get(queued.id)).toMatchObject({ status: 'queued', request: { text: '' } });
    expect(await shared.turns.get(answered.id)).toMatchObject({ status: 'answered', result: { reply: '' } });
    const rows = await shared.store.query<{ n: number }>(
      `select count(*)::int as n from turns where user_id = 'u-states' and (request::text like '%text%' and request->>'text' <> '' or result->>'reply' like '%reply%')`,
    );
    expect(rows).toEqual([{ n: 0 }]);
  });

  it('fails, instead of queueing an empty message, a job whose user was forgotten before it reached the queue', async () => {
    const t = setup(async () => []);
    const job = turnRequest({ user: { id: 'u-unqueued' }, reply: { kind: 'api', jobId: 'j' } });
    await shared.turns.createJob(job, { apiKeyId: 'k', tenant: 'k' });
    await t.forget({ agentId: 'ada', userId: 'u-unqueued' });
    const sent: unknown[] = [];
    const later = new Date(Date.now() + 5 * 60_000);
    await requeueUnqueued(shared.turns, { enqueue: async (r) => void sent.push(r) }, { now: later });
    expect(sent).toEqual([]);
    expect(await shared.turns.get(job.id)).toMatchObject({ status: 'failed', error_code: 'forgotten' });
  });
});
