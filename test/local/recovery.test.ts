import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiscordDelivery } from '#core/adapters/discord-rest/delivery.ts';
import type { PgliteStore } from '#core/adapters/store/pglite.ts';
import { createApiApp } from '#core/api/app.ts';
import { withDevKey } from '#core/api/auth.ts';
import type { SqlStore } from '#core/ports/sql.ts';
import { DEAD_LETTER_REASON } from '#core/turns/dead-letter.ts';
import { APOLOGY } from '#core/turns/process-turn.ts';
import { apiDeps } from '#core/wiring/api.ts';
import { askInteraction, signedHeaders, testDiscordApp } from '#test/factories/discord.ts';
import { FakeDiscordApi } from '#test/fakes/discord-api.ts';
import { startWebhookReceiver, type WebhookReceiver } from '#test/fakes/webhook-receiver.ts';
import { openMigratedPglite } from '#test/support/pglite.ts';
import { testSettings, testStack } from './support/stack.ts';

const app = testDiscordApp();
/** Turns whose every claim fails, as if the database dropped the connection each time. */
const unclaimable = new Set<string>();
let store: PgliteStore;
let discord: FakeDiscordApi;
let receiver: WebhookReceiver;
let t: Awaited<ReturnType<typeof testStack>>;

/** The stack's store, except that claiming an unclaimable turn fails. */
function faultyStore(inner: SqlStore): SqlStore {
  return {
    async rpc(fn, args) {
      if (fn === 'turn_claim' && unclaimable.has(String(args?.p_id))) throw new Error('connection reset');
      return inner.rpc(fn, args);
    },
    close: () => inner.close(),
  };
}

beforeAll(async () => {
  store = await openMigratedPglite();
  discord = await FakeDiscordApi.start();
  receiver = await startWebhookReceiver();
  t = await testStack({
    store: faultyStore(store),
    settings: await testSettings({
      DISCORD_PUBLIC_KEY: app.publicKey,
      DISCORD_APPLICATION_ID: app.applicationId,
      CARRIER_MAX_RECEIVE_COUNT: '2',
    }),
    discord: new DiscordDelivery({ apiUrl: discord.url }),
    tick: false,
  });
});
afterAll(async () => {
  await t.stack.stop();
  await receiver.close();
  await discord.close();
  await store.close();
});

describe('no accepted message is left without an end', () => {
  it('answers, after the sweep, a job whose row was written but whose process died before the enqueue', async () => {
    // The API as its Lambda runs it, but its enqueue never returns: the invocation died there.
    const dying = createApiApp({
      ...apiDeps({
        store,
        queue: { enqueue: () => new Promise<void>(() => {}) },
        characters: t.stack.characters,
        authenticate: withDevKey(t.stack.devApiKey, async () => undefined),
      }),
      newId: () => 'job-crashed',
    });
    void dying.request('/v1/agents/ada/messages', {
      method: 'POST',
      headers: { authorization: `Bearer ${t.stack.devApiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'are you there?', userId: 'sam' }),
    });
    for (let i = 0; !(await t.stack.turns.get('job-crashed')) && i < 500; i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(await t.job('job-crashed')).toMatchObject({ status: 'queued' });

    // Within the grace period the request itself may still enqueue it: the sweep waits.
    expect((await t.stack.sweep()).requeued).toBe(0);
    const later = new Date(Date.now() + 2 * 60_000);
    expect((await t.stack.sweep(later)).requeued).toBe(1);
    expect(await t.finished('job-crashed')).toMatchObject({ status: 'done', reply: 'echo: are you there?' });
    // Marked enqueued: the next sweep leaves it alone.
    expect((await t.stack.sweep(later)).requeued).toBe(0);
  });

  it('fails a dead-lettered job with its reason and fires its webhook, once', async () => {
    unclaimable.add('job-dead');
    const deps = apiDeps({
      store: t.stack.store,
      queue: t.stack.queue.api,
      characters: t.stack.characters,
      authenticate: withDevKey(t.stack.devApiKey, async () => undefined),
      local: true,
    });
    const api = createApiApp({ ...deps, newId: () => 'job-dead' });
    const res = await api.request('/v1/agents/ada/messages', {
      method: 'POST',
      headers: { authorization: `Bearer ${t.stack.devApiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'doomed', webhookUrl: receiver.url }),
    });
    expect(res.status).toBe(202);
    const job = await t.finished('job-dead');
    expect(job).toMatchObject({ status: 'failed', error: { code: 'gave_up' } });
    await t.stack.queue.idle();
    const hooks = receiver.requests.filter((r) => r.body.includes('job-dead'));
    expect(hooks.map((h) => JSON.parse(h.body) as Record<string, unknown>)).toMatchObject([
      { type: 'job.failed', jobId: 'job-dead', error: { code: 'gave_up' } },
    ]);
    // The operator's reason is on the row; the caller saw only the code.
    expect((await t.stack.turns.get('job-dead'))?.error).toBe(DEAD_LETTER_REASON);

    // SQS may deliver a dead letter twice: the second settles nothing more.
    const letter = t.stack.queue.deadLetters().find((l) => l.body.includes('job-dead'))!;
    t.stack.queue.deadLetterQueue.send(letter.body, letter.group, 'redelivered-job-dead');
    await t.stack.queue.idle();
    expect(receiver.requests.filter((r) => r.body.includes('job-dead'))).toHaveLength(1);
  });

  it('apologises once to the Discord user of a dead-lettered /ask', async () => {
    const interaction = askInteraction('doomed too', { applicationId: app.applicationId });
    unclaimable.add(interaction.id);
    const body = JSON.stringify(interaction);
    const res = await fetch(`${t.stack.url}/discord/ada/interactions`, {
      method: 'POST',
      headers: signedHeaders(app, body),
      body,
    });
    expect(await res.json()).toEqual({ type: 5 });
    await t.stack.queue.idle();
    expect(discord.messagesFor(interaction.token).map((m) => m.content)).toEqual([APOLOGY]);
    expect(await t.stack.turns.get(interaction.id)).toMatchObject({
      status: 'failed',
      error_code: 'gave_up',
      delivery: { status: 'delivered' },
    });

    const letter = t.stack.queue.deadLetters().find((l) => l.body.includes(interaction.id))!;
    t.stack.queue.deadLetterQueue.send(letter.body, letter.group, 'redelivered-ask');
    await t.stack.queue.idle();
    const edits = discord.requests.filter((r) => r.token === interaction.token && r.method === 'PATCH');
    expect(edits).toHaveLength(1);
  });

  it('ends a reply Discord never took in a final state with the reason', async () => {
    const interaction = askInteraction('undeliverable', { applicationId: app.applicationId });
    discord.inject({ status: 503, route: interaction.token, times: 100 });
    const body = JSON.stringify(interaction);
    await fetch(`${t.stack.url}/discord/ada/interactions`, {
      method: 'POST',
      headers: signedHeaders(app, body),
      body,
    });
    await t.stack.queue.idle();
    const row = await t.stack.turns.get(interaction.id);
    expect(row).toMatchObject({ status: 'done', result: { reply: 'echo: undeliverable' } });
    expect(row?.delivery).toMatchObject({
      status: 'undeliverable',
      reason: expect.stringContaining('the reply could not be delivered on any attempt'),
    });
  });
});
