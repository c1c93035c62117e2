import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Context } from 'aws-lambda';
import { createApiApp } from '#core/api/app.ts';
import { apiLambda } from '#core/api/lambda-handler.ts';
import { toApiGatewayEvent } from '#core/local/apigw-event.ts';
import { memoryAdmin } from '#core/api/memory-admin.ts';
import { MemoryRepository } from '#core/memory/memory-repository.ts';
import { StoreMemory } from '#core/memory/store-memory.ts';
import type { RecalledMemory } from '#core/ports/memory.ts';
import { verifyWebhook } from '#core/webhooks/signature.ts';
import { startWebhookReceiver } from '#test/fakes/webhook-receiver.ts';
import { apiHarness, authed, WEBHOOK_SECRET } from './support/harness.ts';

let h: Awaited<ReturnType<typeof apiHarness>>;
let key: string;
beforeAll(async () => {
  h = await apiHarness();
  key = (await h.keys.create('test', ['agents:read', 'messages', 'memories:read'])).key;
});
afterAll(async () => h.close());

const post = (body: unknown, path = '/v1/agents/ada/messages', k = key) =>
  h.app.request(path, authed(k, { method: 'POST', body: JSON.stringify(body) }));

async function pollJob(jobId: string): Promise<Record<string, unknown>> {
  for (let i = 0; i < 200; i++) {
    const job = (await (await h.app.request(`/v1/jobs/${jobId}`, authed(key))).json()) as Record<
      string,
      unknown
    >;
    if (job.status === 'done' || job.status === 'failed') return job;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`job ${jobId} did not finish`);
}

describe('API authentication', () => {
  it('serves health and the OpenAPI document without a key', async () => {
    expect(await (await h.app.request('/v1/health')).json()).toEqual({ ok: true, version: '0.1.0' });
    const doc = (await (await h.app.request('/v1/openapi.json')).json()) as {
      paths: Record<string, unknown>;
    };
    expect(Object.keys(doc.paths)).toContain('/v1/agents/{id}/messages');
  });

  it('answers 401 with one error shape for a missing, malformed, unknown or revoked key', async () => {
    const revoked = await h.keys.create('old');
    await h.keys.revoke(revoked.record.id);
    const forged = key.slice(0, -4) + 'AAAA';
    const attempts: Array<Record<string, string>> = [
      {},
      { authorization: 'Bearer nope' },
      { 'x-api-key': forged },
      { 'x-api-key': revoked.key },
    ];
    for (const headers of attempts) {
      const res = await h.app.request('/v1/agents', { headers });
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({
        error: { code: 'unauthenticated', message: expect.any(String) },
      });
    }
  });

  it('accepts the key as Bearer or x-api-key', async () => {
    expect((await h.app.request('/v1/agents', authed(key))).status).toBe(200);
    const res = await h.app.request('/v1/agents', { headers: { 'x-api-key': key } });
    expect(await res.json()).toEqual({
      agents: [
        { id: 'ada', name: 'Ada' },
        { id: 'juniper', name: 'Juniper' },
      ],
    });
  });

  it('answers 403 naming the scope a key lacks', async () => {
    const narrow = (await h.keys.create('narrow', ['agents:read'])).key;
    const res = await post({ text: 'hi' }, '/v1/agents/ada/messages', narrow);
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({
      error: { code: 'forbidden', message: expect.stringContaining('"messages"') },
    });
  });
});

describe('API validation', () => {
  it('answers 400 with a detail per bad field', async () => {
    const res = await post({ text: '', userId: 'has space', extra: 1 });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { details: Array<{ path: string }> } };
    expect(body.error.details.map((d) => d.path).sort()).toEqual(['body', 'body.text', 'body.userId']);
  });

  it('names a bad query parameter', async () => {
    const res = await post({ text: 'hi' }, '/v1/agents/ada/messages?wait=60');
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      error: { details: [{ path: 'query.wait', message: expect.stringContaining('at most 25 seconds') }] },
    });
  });

  it('refuses bodies that are not JSON, not declared as JSON, or too large', async () => {
    const bad = await h.app.request('/v1/agents/ada/messages', authed(key, { method: 'POST', body: '{' }));
    expect(await bad.json()).toMatchObject({ error: { code: 'invalid_json' } });
    const plain = await h.app.request(
      '/v1/agents/ada/messages',
      authed(key, { method: 'POST', body: 'hi', headers: { 'content-type': 'text/plain' } }),
    );
    expect(plain.status).toBe(415);
    const big = await post({ text: 'x'.repeat(70_000) });
    expect(big.status).toBe(413);
  });

  it('answers 404 naming the known agents for an unknown one', async () => {
    const res = await post({ text: 'hi' }, '/v1/agents/zed/messages');
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({
      error: { message: 'no agent "zed"; known agents: ada, juniper' },
    });
  });
});

describe('API messages and jobs', () => {
  it('queues a message with 202 and the job ends with the reply', async () => {
    const res = await post({ text: 'ping', conversationId: 'c-202', userId: 'sam' });
    expect(res.status).toBe(202);
    const accepted = (await res.json()) as { jobId: string; poll: string };
    expect(accepted.poll).toBe(`/v1/jobs/${accepted.jobId}`);
    expect(await pollJob(accepted.jobId)).toMatchObject({
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
    const res = await post({ text: 'quick' }, '/v1/agents/ada/messages?wait=10');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'done', reply: 'echo: quick' });
  });

  it('posts a webhook whose signature verifies with the documented recipe', async () => {
    // The first try fails, so the retry is what is checked.
    const receiver = await startWebhookReceiver({ status: (n) => (n === 1 ? 503 : 204) });
    try {
      const res = await post({
        text: 'hook me',
        userId: 'sam',
        conversationId: 'c-hook',
        webhookUrl: receiver.url,
      });
      const { jobId } = (await res.json()) as { jobId: string };
      await pollJob(jobId);
      const hook = await receiver.nth(2);
      expect(
        verifyWebhook({
          secret: WEBHOOK_SECRET,
          body: hook.body,
          signature: hook.headers['carrier-signature'] as string,
          timestamp: hook.headers['carrier-timestamp'] as string,
        }),
      ).toBe(true);
      expect(hook.headers['carrier-webhook-id']).toBe(jobId);
      expect(JSON.parse(hook.body)).toMatchObject({
        type: 'job.completed',
        jobId,
        userId: 'sam',
        conversationId: 'c-hook',
        status: 'done',
        reply: 'echo: hook me',
      });
      expect(
        verifyWebhook({
          secret: 'wrong-secret-0123456',
          body: hook.body,
          signature: hook.headers['carrier-signature'] as string,
          timestamp: hook.headers['carrier-timestamp'] as string,
        }),
      ).toBe(false);
      for (let i = 0; i < 100; i++) {
        const job = (await (await h.app.request(`/v1/jobs/${jobId}`, authed(key))).json()) as {
          webhook?: unknown;
        };
        if (job.webhook) break;
        await new Promise((r) => setTimeout(r, 10));
      }
      const job = (await (await h.app.request(`/v1/jobs/${jobId}`, authed(key))).json()) as {
        webhook?: unknown;
      };
      expect(job.webhook).toEqual({ status: 'delivered' });
    } finally {
      await receiver.close();
    }
  });

  it('hides another key’s job', async () => {
    const other = (await h.keys.create('other', ['messages'])).key;
    const { jobId } = (await (await post({ text: 'mine' })).json()) as { jobId: string };
    const res = await h.app.request(`/v1/jobs/${jobId}`, authed(other));
    expect(res.status).toBe(404);
  });

  it('writes the job before queueing, so a refused enqueue leaves a failed job and a 503', async () => {
    const app = createApiApp({
      turns: h.turns,
      queue: { enqueue: async () => Promise.reject(new Error('SQS down')) },
      authenticate: (k) => h.keys.verify(k),
      agents: async () => [{ id: 'ada', name: 'Ada' }],
      newId: () => 'job-refused',
    });
    const res = await app.request(
      '/v1/agents/ada/messages',
      authed(key, { method: 'POST', body: '{"text":"hi"}' }),
    );
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ error: { code: 'queue_unavailable' } });
    expect(await h.turns.get('job-refused')).toMatchObject({
      status: 'failed',
      error: 'the queue refused the message',
    });
  });

  it('refuses, deployed, http webhooks and hosts that are or resolve to loopback, private or link-local addresses', async () => {
    const app = createApiApp({
      turns: h.turns,
      queue: h.queue,
      authenticate: (k) => h.keys.verify(k),
      agents: async () => [{ id: 'ada', name: 'Ada' }],
      resolveHost: async (host) => (host === 'public.test' ? ['93.184.216.34'] : ['10.1.2.3']),
    });
    const send = (webhookUrl: string) =>
      app.request(
        '/v1/agents/ada/messages',
        authed(key, { method: 'POST', body: JSON.stringify({ text: 'hi', webhookUrl }) }),
      );
    for (const url of [
      'http://public.test/hook',
      'HTTP://169.254.169.254/latest/meta-data',
      'https://169.254.169.254/',
      'https://127.0.0.1/hook',
      'https://[::1]/hook',
      'https://[fe80::1]/hook',
      'https://[fd00::1]/hook',
      'https://172.20.0.1/hook',
      'https://192.168.1.1/hook',
      'https://internal.test/hook',
    ]) {
      const res = await send(url);
      expect(res.status, url).toBe(400);
      expect(await res.json()).toMatchObject({ error: { details: [{ path: 'body.webhookUrl' }] } });
    }
    expect((await send('https://public.test/hook')).status).toBe(202);
  });
});

describe('API idempotency and deadlines', () => {
  const keyed = (k: string, idem: string, body: unknown, path = '/v1/agents/ada/messages') =>
    h.app.request(
      path,
      authed(k, { method: 'POST', body: JSON.stringify(body), headers: { 'idempotency-key': idem } }),
    );

  it('returns the same job for a resend with the same Idempotency-Key, and replies once', async () => {
    const first = await keyed(
      key,
      'order-1',
      { text: 'only once please' },
      '/v1/agents/ada/messages?wait=10',
    );
    const job = (await first.json()) as { id: string; status: string };
    expect(job).toMatchObject({ status: 'done', reply: 'echo: only once please' });

    const again = await keyed(key, 'order-1', { text: 'only once please' });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ id: job.id, status: 'done', attempts: 1 });
    const jobs = await h.store.query<{ n: number }>(
      `select count(*)::int as n from turns where request->>'text' = 'only once please'`,
    );
    expect(jobs).toEqual([{ n: 1 }]);
  });

  it('refuses an Idempotency-Key reused for a different message, and keeps keys of different API keys apart', async () => {
    await keyed(key, 'order-2', { text: 'first' });
    const reused = await keyed(key, 'order-2', { text: 'second' });
    expect(reused.status).toBe(409);
    expect(await reused.json()).toMatchObject({ error: { code: 'idempotency_key_reused' } });

    const other = (await h.keys.create('other', ['messages'])).key;
    const theirs = await keyed(other, 'order-2', { text: 'second' });
    expect(theirs.status).toBe(202);
    const bad = await keyed(key, 'has space', { text: 'x' });
    expect(bad.status).toBe(400);
  });

  it('answers 202 instead of waiting past what is left of the Lambda invocation', async () => {
    const res = await h.app.request(
      '/v1/agents/ada/messages?wait=10',
      authed(key, { method: 'POST', body: JSON.stringify({ text: 'no time' }) }),
      { lambdaContext: { getRemainingTimeInMillis: () => 1000 } },
    );
    expect(res.status).toBe(202);
    const { jobId } = (await res.json()) as { jobId: string };
    expect(await pollJob(jobId)).toMatchObject({ status: 'done', reply: 'echo: no time' });
  });

  it('hands the Lambda context to the app, so a deployed ?wait stops in time', async () => {
    const request = new Request('http://api.test/v1/agents/ada/messages?wait=10', {
      ...authed(key, { method: 'POST', body: JSON.stringify({ text: 'deployed' }) }),
    });
    const context = { getRemainingTimeInMillis: () => 500 } as unknown as Context;
    const res = await apiLambda(h.app)(await toApiGatewayEvent(request), context);
    expect(res.statusCode).toBe(202);
  });
});

describe('API memories', () => {
  it('does not let a key created with the default scopes read memories', async () => {
    const created = await h.keys.create('defaults');
    expect(created.record.scopes).toEqual(['agents:read', 'messages']);
    const res = await h.app.request('/v1/agents/ada/memories', authed(created.key));
    expect(res.status).toBe(403);
  });

  it('answers 501 when no memory store is configured', async () => {
    const res = await h.app.request('/v1/agents/ada/memories', authed(key));
    expect(res.status).toBe(501);
  });

  it('passes the filters to the memory store and returns its memories with scores', async () => {
    const memory: RecalledMemory = {
      id: 'm1',
      type: 'fact',
      text: 'Sam likes teal',
      createdAt: '2025-01-01T00:00:00.000Z',
      score: 0.5,
      why: { fullText: 0.5 },
      metadata: {},
    };
    const calls: unknown[] = [];
    const app = createApiApp({
      turns: h.turns,
      queue: h.queue,
      authenticate: (k) => h.keys.verify(k),
      agents: async () => [{ id: 'ada', name: 'Ada' }],
      memories: {
        search: async (q) => {
          calls.push(q);
          return [memory];
        },
        forget: async () => ({ deleted: 3 }),
      },
    });
    const res = await app.request(
      '/v1/agents/ada/memories?query=colour&userId=sam&type=fact&limit=5',
      authed(key),
    );
    expect(await res.json()).toEqual({
      memories: [memory],
    });
    expect(calls).toEqual([{ agentId: 'ada', query: 'colour', userId: 'api:sam', type: 'fact', limit: 5 }]);
    const forbidden = await app.request(
      '/v1/agents/ada/memories?userId=sam',
      authed(key, { method: 'DELETE' }),
    );
    expect(forbidden.status).toBe(403);
    const admin = (await h.keys.create('admin', ['*'])).key;
    const missing = await app.request('/v1/agents/ada/memories', authed(admin, { method: 'DELETE' }));
    expect(await missing.json()).toMatchObject({ error: { details: [{ path: 'query.userId' }] } });
    const done = await app.request('/v1/agents/ada/memories?userId=sam', authed(admin, { method: 'DELETE' }));
    expect(await done.json()).toEqual({ deleted: 3 });
  });
});

describe('API memories over the memory tables', () => {
  it('searches an agent’s memories with scores and forgets a user', async () => {
    const repository = new MemoryRepository(h.store);
    await repository.insert([
      {
        agentId: 'ada',
        userId: 'api:sam',
        roomId: 'api:r1',
        type: 'fact',
        text: 'Sam’s favourite colour is teal',
      },
      {
        agentId: 'ada',
        userId: 'api:kim',
        roomId: 'api:r2',
        type: 'fact',
        text: 'Kim’s favourite colour is red',
      },
      { agentId: 'juniper', userId: 'api:sam', roomId: 'api:r1', type: 'fact', text: 'Sam likes teal tea' },
    ]);
    const admin = (await h.keys.create('memories', ['*'])).key;
    const app = createApiApp({
      turns: h.turns,
      queue: h.queue,
      authenticate: (k) => h.keys.verify(k),
      agents: async () => [{ id: 'ada', name: 'Ada' }],
      memories: memoryAdmin(repository),
    });

    const found = (await (
      await app.request('/v1/agents/ada/memories?query=teal%20colour', authed(admin))
    ).json()) as {
      memories: RecalledMemory[];
    };
    expect(found.memories[0]).toMatchObject({
      text: 'Sam’s favourite colour is teal',
      userId: 'sam',
      roomId: 'r1',
      type: 'fact',
    });
    expect(found.memories[0]?.id).toEqual(expect.any(String));
    expect(found.memories[0]?.score).toBeGreaterThan(0);
    expect(found.memories.every((m) => !m.text.includes('tea '))).toBe(true);

    const kims = (await (await app.request('/v1/agents/ada/memories?userId=kim', authed(admin))).json()) as {
      memories: RecalledMemory[];
    };
    expect(kims.memories.map((m) => m.text)).toEqual(['Kim’s favourite colour is red']);

    const forgot = await app.request(
      '/v1/agents/ada/memories?userId=sam',
      authed(admin, { method: 'DELETE' }),
    );
    expect(await forgot.json()).toEqual({ deleted: 1 });
    const after = (await (await app.request('/v1/agents/ada/memories?userId=sam', authed(admin))).json()) as {
      memories: unknown[];
    };
    expect(after.memories).toEqual([]);
  });
});

describe('API ids and Discord ids', () => {
  const snowflake = '112233445566778899';
  const channel = '998877665544332211';

  it('recalls nothing of a Discord user for an API message that names their user and channel ids', async () => {
    const hs = await apiHarness({}, (store) => new StoreMemory(store));
    try {
      await new MemoryRepository(hs.store).insert([
        {
          agentId: 'ada',
          userId: snowflake,
          roomId: channel,
          type: 'fact',
          text: 'their locker code is 4242',
        },
        {
          agentId: 'ada',
          userId: snowflake,
          roomId: channel,
          type: 'message',
          text: 'my locker code is 4242',
        },
      ]);
      const recall = vi.spyOn(hs.memory, 'recall');
      const k = (await hs.keys.create('impostor', ['messages'])).key;

      const res = await hs.app.request(
        '/v1/agents/ada/messages?wait=10',
        authed(k, {
          method: 'POST',
          body: JSON.stringify({
            text: 'what is my locker code',
            userId: snowflake,
            conversationId: channel,
          }),
        }),
      );

      expect(await res.json()).toMatchObject({ status: 'done', userId: snowflake, conversationId: channel });
      const recollection = await recall.mock.results[0]?.value;
      expect(recollection).toEqual({ recent: [], memories: [] });
    } finally {
      await hs.close();
    }
  });
});
