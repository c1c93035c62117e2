import { describe, expect, it } from 'vitest';
import type { Context } from 'aws-lambda';
import { apiLambda } from '#core/adapters/lambda/api-gateway.ts';
import { SqlTurnRepository } from '#core/adapters/store/turns.ts';
import { toApiGatewayEvent } from '#core/local/apigw-event.ts';
import type { TurnRequest } from '#core/ports/turn-request.ts';
import { useMigratedPglite } from '#test/support/pglite.ts';
import { useApiFixture } from './support/api-fixture.ts';
import { authed } from './support/harness.ts';

const api = useApiFixture();
// Jobs in the SQL turns table, for the test of what a resend answers.
const store = useMigratedPglite();

describe('API validation', () => {
  it('answers 400 with a detail per bad field', async () => {
    const res = await api.post({ text: '', userId: 'has space', extra: 1 });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { details: Array<{ path: string }> } };
    expect(body.error.details.map((d) => d.path).sort()).toEqual(['body', 'body.text', 'body.userId']);
  });

  it('names a bad query parameter', async () => {
    const res = await api.post({ text: 'hi' }, '/v1/agents/ada/messages?wait=60');
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      error: { details: [{ path: 'query.wait', message: expect.stringContaining('at most 25 seconds') }] },
    });
  });

  it('refuses bodies that are not JSON, not declared as JSON, or too large', async () => {
    const bad = await api.h.app.request(
      '/v1/agents/ada/messages',
      authed(api.key, { method: 'POST', body: '{' }),
    );
    expect(await bad.json()).toMatchObject({ error: { code: 'invalid_json' } });
    const plain = await api.h.app.request(
      '/v1/agents/ada/messages',
      authed(api.key, { method: 'POST', body: 'hi', headers: { 'content-type': 'text/plain' } }),
    );
    expect(plain.status).toBe(415);
    const big = await api.post({ text: 'x'.repeat(70_000) });
    expect(big.status).toBe(413);
  });

  it('answers 404 naming the known agents for an unknown one', async () => {
    const res = await api.post({ text: 'hi' }, '/v1/agents/zed/messages');
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({
      error: { message: 'no agent "zed"; known agents: ada, juniper' },
    });
  });
});

describe('API messages', () => {
  it('queues a message with 202 and the job ends with the reply', async () => {
    const res = await api.post({ text: 'ping', conversationId: 'c-202', userId: 'sam' });
    expect(res.status).toBe(202);
    const accepted = (await res.json()) as { jobId: string; poll: string };
    expect(accepted.poll).toBe(`/v1/jobs/${accepted.jobId}`);
    expect(await api.settledJob(accepted.jobId)).toMatchObject({
      id: accepted.jobId,
      agentId: 'ada',
      conversationId: 'c-202',
      userId: 'sam',
      status: 'done',
      reply: 'echo: ping',
      attempts: 1,
    });
  });

  it('answers inline with ?wait when the reply is ready in time', async () => {
    const res = await api.post({ text: 'quick' }, '/v1/agents/ada/messages?wait=10');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'done', reply: 'echo: quick' });
  });
});

describe('API idempotency and deadlines', () => {
  const keyed = (k: string, idem: string, body: unknown, path = '/v1/agents/ada/messages') =>
    api.h.app.request(
      path,
      authed(k, { method: 'POST', body: JSON.stringify(body), headers: { 'idempotency-key': idem } }),
    );

  it('returns the same job for a resend with the same Idempotency-Key, and replies once', async () => {
    const first = await keyed(
      api.key,
      'order-1',
      { text: 'only once please' },
      '/v1/agents/ada/messages?wait=10',
    );
    const job = (await first.json()) as { id: string; status: string };
    expect(job).toMatchObject({ status: 'done', reply: 'echo: only once please' });

    const again = await keyed(
      api.key,
      'order-1',
      { text: 'only once please' },
      '/v1/agents/ada/messages?wait=10',
    );
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ id: job.id, status: 'done', attempts: 1 });
    const jobs = api.h.turns.rows().filter((t) => t.request?.text === 'only once please');
    expect(jobs).toHaveLength(1);
  });

  it('answers a resend as the first request would: the same 202 until the job ended within ?wait', async () => {
    const turns = new SqlTurnRepository(store());
    const queued: TurnRequest[] = [];
    // A queue nobody runs: the test answers the job itself, when it wants it ended.
    const app = api.appWith({ turns, queue: { enqueue: async (r) => void queued.push(r) }, waitPollMs: 10 });
    const send = (body = { text: 'hello once' }, query = '') =>
      app.request(
        `/v1/agents/ada/messages${query}`,
        authed(api.key, {
          method: 'POST',
          body: JSON.stringify(body),
          headers: { 'idempotency-key': 'abc' },
        }),
      );
    const first = await send();
    expect(first.status).toBe(202);
    const accepted = (await first.json()) as { jobId: string };
    expect(accepted).toEqual({
      jobId: expect.any(String),
      status: 'queued',
      poll: `/v1/jobs/${accepted.jobId}`,
    });

    // Not ended yet: the same 202, with or without a ?wait that runs out.
    for (const query of ['', '?wait=1']) {
      const again = await send(undefined, query);
      expect([again.status, await again.json()], query).toEqual([202, accepted]);
    }

    const [request] = queued;
    await turns.claim(request!, { leaseSeconds: 60 });
    const reply = {
      reply: 'hello back',
      model: { provider: 'offline', name: 'offline' },
      notices: [],
      toolCalls: 0,
    };
    await turns.answer(request!.id, 1, reply);
    // Ended, but no ?wait asked: still the 202 (OpenAPI's 200 is "the job ended within ?wait").
    const unwaited = await send();
    expect([unwaited.status, await unwaited.json()]).toEqual([202, accepted]);
    const waited = await send(undefined, '?wait=5');
    expect(waited.status).toBe(200);
    expect(await waited.json()).toMatchObject({ id: accepted.jobId, status: 'done', reply: 'hello back' });

    const reused = await send({ text: 'something else' });
    expect(reused.status).toBe(409);
    expect(await reused.json()).toMatchObject({ error: { code: 'idempotency_key_reused' } });
    expect(queued).toHaveLength(1);
  });

  it('refuses an Idempotency-Key reused for a different message, and keeps keys of different API keys apart', async () => {
    await keyed(api.key, 'order-2', { text: 'first' });
    const reused = await keyed(api.key, 'order-2', { text: 'second' });
    expect(reused.status).toBe(409);
    expect(await reused.json()).toMatchObject({ error: { code: 'idempotency_key_reused' } });

    const other = (await api.h.keys.create('other', ['messages'])).key;
    const theirs = await keyed(other, 'order-2', { text: 'second' });
    expect(theirs.status).toBe(202);
    const bad = await keyed(api.key, 'has space', { text: 'x' });
    expect(bad.status).toBe(400);
  });

  it('answers 202 instead of waiting past what is left of the Lambda invocation', async () => {
    const res = await api.h.app.request(
      '/v1/agents/ada/messages?wait=10',
      authed(api.key, { method: 'POST', body: JSON.stringify({ text: 'no time' }) }),
      { lambdaContext: { getRemainingTimeInMillis: () => 1000 } },
    );
    expect(res.status).toBe(202);
    const { jobId } = (await res.json()) as { jobId: string };
    expect(await api.settledJob(jobId)).toMatchObject({ status: 'done', reply: 'echo: no time' });
  });

  it('hands the Lambda context to the app, so a deployed ?wait stops in time', async () => {
    const request = new Request('http://api.test/v1/agents/ada/messages?wait=10', {
      ...authed(api.key, { method: 'POST', body: JSON.stringify({ text: 'deployed' }) }),
    });
    const context = { getRemainingTimeInMillis: () => 500 } as unknown as Context;
    const res = await apiLambda(api.h.app)(await toApiGatewayEvent(request), context);
    expect(res.statusCode).toBe(202);
  });
});
