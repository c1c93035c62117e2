import { describe, expect, it } from 'vitest';
import { verifyWebhook } from '#core/webhooks/signature.ts';
import { startWebhookReceiver } from '#test/fakes/webhook-receiver.ts';
import { useApiFixture } from './support/api-fixture.ts';
import { authed, WEBHOOK_SECRET } from './support/harness.ts';

const api = useApiFixture();

describe('API jobs and webhooks', () => {
  it('posts a webhook whose signature verifies with the documented recipe', async () => {
    // The first try fails, so the retry is what is checked.
    const receiver = await startWebhookReceiver({ status: (n) => (n === 1 ? 503 : 204) });
    try {
      const res = await api.post({
        text: 'hook me',
        userId: 'sam',
        conversationId: 'c-hook',
        webhookUrl: receiver.url,
      });
      const { jobId } = (await res.json()) as { jobId: string };
      await api.settledJob(jobId);
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
      const job = await api.settledJob(jobId, (j) => j.webhook !== undefined);
      expect(job.webhook).toEqual({ status: 'delivered' });
    } finally {
      await receiver.close();
    }
  });

  it('hides another key’s job', async () => {
    const other = (await api.h.keys.create('other', ['messages'])).key;
    const { jobId } = (await (await api.post({ text: 'mine' })).json()) as { jobId: string };
    const res = await api.h.app.request(`/v1/jobs/${jobId}`, authed(other));
    expect(res.status).toBe(404);
  });

  it('writes the job before queueing, so a refused enqueue leaves a failed job and a 503', async () => {
    const app = api.appWith({
      queue: { enqueue: async () => Promise.reject(new Error('SQS down')) },
      newId: () => 'job-refused',
    });
    const res = await app.request(
      '/v1/agents/ada/messages',
      authed(api.key, { method: 'POST', body: '{"text":"hi"}' }),
    );
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ error: { code: 'queue_unavailable' } });
    expect(await api.h.turns.get('job-refused')).toMatchObject({
      status: 'failed',
      error: 'the queue refused the message',
    });
  });

  it('refuses, deployed, http webhooks and hosts that are or resolve to loopback, private or link-local addresses', async () => {
    const app = api.appWith({
      resolveHost: async (host) => (host === 'public.test' ? ['93.184.216.34'] : ['10.1.2.3']),
    });
    const send = (webhookUrl: string) =>
      app.request(
        '/v1/agents/ada/messages',
        authed(api.key, { method: 'POST', body: JSON.stringify({ text: 'hi', webhookUrl }) }),
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
