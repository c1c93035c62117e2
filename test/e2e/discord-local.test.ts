import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PgliteStore } from '#core/adapters/store/pglite.ts';
import { DiscordDelivery } from '#core/adapters/discord-rest/delivery.ts';
import { FakeDiscordApi } from '#test/fakes/discord-api.ts';
import { askInteraction, forgetInteraction, signedHeaders, testDiscordApp } from '#test/factories/discord.ts';
import { testSettings, testStack } from '../local/support/stack.ts';
import { openMigratedPglite } from '#test/support/pglite.ts';

const app = testDiscordApp();
let discord: FakeDiscordApi;
let store: PgliteStore;
let t: Awaited<ReturnType<typeof testStack>>;

beforeAll(async () => {
  discord = await FakeDiscordApi.start();
  store = await openMigratedPglite();
  t = await testStack({
    // The stack's own store-backed memory: what a duplicate would store twice is visible in SQL.
    store,
    settings: await testSettings({
      DISCORD_PUBLIC_KEY: app.publicKey,
      DISCORD_APPLICATION_ID: app.applicationId,
    }),
    discord: new DiscordDelivery({ apiUrl: discord.url }),
    // Zero window: a second delivery of one interaction reaches the runner, whose claim must stop it.
    queue: { deduplicationWindowMs: 0 },
  });
});
afterAll(async () => {
  await t.stack.stop();
  await store.close();
  await discord.close();
});

async function interact(interaction: unknown): Promise<Response> {
  const body = JSON.stringify(interaction);
  return fetch(`${t.stack.url}/discord/ada/interactions`, {
    method: 'POST',
    headers: signedHeaders(app, body),
    body,
  });
}

/**
 * Waits until the queue has run everything it holds (an interaction is queued before its
 * deferred response is sent), then checks that `token` got its `count` messages.
 */
async function settled(token: string, count = 1): Promise<void> {
  await t.stack.queue.idle();
  const got = discord.messagesFor(token).length;
  if (got < count) throw new Error(`${got} of ${count} messages for ${token} with the queue idle`);
}

describe('Discord end to end on the local stack', () => {
  it('answers a signed /ask with a deferred response, then edits @original with the reply and no mentions', async () => {
    const interaction = askInteraction('hello from discord', { applicationId: app.applicationId });
    const res = await interact(interaction);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ type: 5 });

    await settled(interaction.token);
    const [original] = discord.messagesFor(interaction.token);
    expect(original).toMatchObject({ kind: 'original', content: 'echo: hello from discord' });
    const patch = discord.requests.find((r) => r.method === 'PATCH' && r.token === interaction.token);
    expect(patch?.route).toMatch(/\/messages\/@original$/);
    expect(patch?.body.allowed_mentions).toEqual({ parse: [] });
  });

  it('splits a 3,000-character reply into @original and a follow-up, mentions off on both', async () => {
    const long = 'word '.repeat(600).trim();
    const interaction = askInteraction(long, { applicationId: app.applicationId });
    await interact(interaction);

    await settled(interaction.token, 2);
    const messages = discord.messagesFor(interaction.token);
    expect(messages.map((m) => m.kind)).toEqual(['original', 'followup']);
    expect(messages.every((m) => m.content.length <= 2000)).toBe(true);
    expect(
      messages
        .map((m) => m.content)
        .join(' ')
        .replace(/\s+/g, ' '),
    ).toBe(`echo: ${long}`);
    const writes = discord.requests.filter((r) => r.token === interaction.token && r.method !== 'GET');
    expect(writes.every((r) => JSON.stringify(r.body.allowed_mentions) === '{"parse":[]}')).toBe(true);
  });

  it('answers an interaction delivered twice once, with one set of memories', async () => {
    const interaction = askInteraction('only once please', {
      applicationId: app.applicationId,
      channelId: 'twice',
    });
    await interact(interaction);
    await interact(interaction);

    await settled(interaction.token);
    await t.stack.queue.idle();
    const writes = discord.requests.filter((r) => r.token === interaction.token);
    expect(writes).toHaveLength(1);
    expect(await t.stack.turns.get(interaction.id)).toMatchObject({ status: 'done', attempts: 1 });
    const stored = await store.query<{ text: string }>(
      `select content->>'text' as text from memories where room_id = 'twice' and type = 'message' order by created_at`,
    );
    expect(stored.map((m) => m.text)).toEqual(['only once please', 'echo: only once please']);
  });

  it('waits out a Discord 429 and then delivers the reply once', async () => {
    const interaction = askInteraction('rate limited', {
      applicationId: app.applicationId,
      channelId: 'limited',
    });
    discord.rateLimitNext(1, { method: 'PATCH', route: interaction.token });
    await interact(interaction);

    await settled(interaction.token);
    const patches = discord.requests.filter((r) => r.token === interaction.token && r.method === 'PATCH');
    expect(patches.map((r) => r.status)).toEqual([429, 200]);
    expect(discord.messagesFor(interaction.token)).toMatchObject([
      { content: 'echo: rate limited', writes: 1 },
    ]);
  });

  it('forgets the user on /forget and edits the ephemeral confirmation when done', async () => {
    const remembered = askInteraction('remember me', {
      applicationId: app.applicationId,
      channelId: 'forget-room',
    });
    await interact(remembered);
    await settled(remembered.token);
    const before = await store.query<{ n: number }>(
      `select count(*)::int as n from memories where user_id = '4242'`,
    );
    expect(before[0]!.n).toBeGreaterThan(0);

    const forget = forgetInteraction({ applicationId: app.applicationId, channelId: 'forget-room' });
    const res = await interact(forget);
    expect(await res.json()).toMatchObject({ type: 4, data: { flags: 64 } });
    await settled(forget.token);

    expect(discord.messagesFor(forget.token)[0]?.content).toBe(
      `Done: I forgot ${before[0]!.n} memories about you.`,
    );
    const after = await store.query<{ n: number }>(
      `select count(*)::int as n from memories where user_id = '4242'`,
    );
    expect(after[0]!.n).toBe(0);
    // The forget request's own turn survives the erasure, so a redelivery is recognised as done.
    expect(await t.stack.turns.get(forget.id)).toMatchObject({ status: 'done', attempts: 1 });
    await interact(forget);
    await t.stack.queue.idle();
    expect(discord.requests.filter((r) => r.token === forget.token)).toHaveLength(1);
  });

  it('rejects an interaction whose signature does not match', async () => {
    const body = JSON.stringify(askInteraction('forged', { applicationId: app.applicationId }));
    const headers = signedHeaders(app, body);
    const res = await fetch(`${t.stack.url}/discord/ada/interactions`, {
      method: 'POST',
      headers,
      body: body.replace('forged', 'tampered'),
    });
    expect(res.status).toBe(401);
  });
});
