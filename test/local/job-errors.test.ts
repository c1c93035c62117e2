import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PgliteStore } from '#core/adapters/store/pglite.ts';
import { JOB_ERRORS } from '#core/ports/job-errors.ts';
import { startWebhookReceiver, type WebhookReceiver } from '#test/fakes/webhook-receiver.ts';
import { EchoModel, httpError } from '../runner/support/echo-model.ts';
import { openMigratedPglite } from '#test/support/pglite.ts';
import { testSettings, testStack } from './support/stack.ts';

/** What a provider's error could carry: nothing of it may reach a caller. */
const INTERNAL = 'upstream pool db-7.internal:5432 exhausted (token sk-live-abc)';

let store: PgliteStore;
let receiver: WebhookReceiver;
let t: Awaited<ReturnType<typeof testStack>>;

beforeAll(async () => {
  store = await openMigratedPglite();
  receiver = await startWebhookReceiver({ status: () => 500 });
  const failing = new EchoModel((_call, text) => {
    if (text.startsWith('fail')) throw httpError(500, INTERNAL);
  });
  t = await testStack({
    store,
    settings: await testSettings({ CARRIER_MAX_RECEIVE_COUNT: '2' }),
    model: () => failing.resolved(),
    tick: false,
  });
});
afterAll(async () => {
  await t.stack.stop();
  await receiver.close();
  await store.close();
});

describe('a failed job as its caller sees it', () => {
  it('carries a stable code and a fixed message in the job and the webhook, never the internal reason', async () => {
    const res = await t.send('ada', { text: 'fail please', webhookUrl: receiver.url });
    const { jobId } = (await res.json()) as { jobId: string };
    const job = await t.finished(jobId);
    expect(job).toMatchObject({
      status: 'failed',
      error: { code: 'agent_failed', message: JOB_ERRORS.agent_failed },
    });
    const hook = JSON.parse((await receiver.nth(1)).body) as Record<string, unknown>;
    expect(hook).toMatchObject({ type: 'job.failed', error: { code: 'agent_failed' } });
    // The receiver answered 500 to every try: the job says so in its own words.
    const settled = await t.finished(jobId);
    const seen = JSON.stringify([job, hook, settled, await receiver.nth(4)]);
    expect(seen).not.toContain('db-7');
    expect(seen).not.toContain('sk-live');
    // The operator still has the reason on the row.
    expect((await t.stack.turns.get(jobId))?.error).toContain(INTERNAL);
  });
});
