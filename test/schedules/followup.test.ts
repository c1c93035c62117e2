import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { InMemoryMemory } from '#core/adapters/memory/in-memory-memory.ts';
import { DiscordChannelDelivery } from '#core/adapters/discord-rest/channel-delivery.ts';
import { DiscordDelivery } from '#core/adapters/discord-rest/delivery.ts';
import { createRunnerHandler } from '#core/adapters/lambda/sqs-batch.ts';
import { offlineModel } from '#core/adapters/models/offline.ts';
import { LocalTurnQueue } from '#core/adapters/queue/local-queue.ts';
import { startLocalScheduler, type LocalScheduler } from '#core/local/schedules.ts';
import { turnRequestSchema } from '#core/ports/turn-request.ts';
import { firingRequest } from '#core/schedules/firing.ts';
import { runnerDeps } from '#core/wiring/runner.ts';
import { FakeDiscordApi } from '#test/fakes/discord-api.ts';
import { emptyTables, useMigratedPglite } from '#test/support/pglite.ts';
import { sqsEvent, sqsRecord } from '../runner/support/sqs-event.ts';
import { testSettings } from '../local/support/stack.ts';

const store = useMigratedPglite();
const CHANNEL = '123456789012345678';
const T0 = new Date('2030-01-01T09:00:00Z');
let discord: FakeDiscordApi;
beforeAll(async () => {
  discord = await FakeDiscordApi.start();
});
afterAll(() => discord.close());

let queue: LocalTurnQueue;
let scheduler: LocalScheduler;
let handler: ReturnType<typeof createRunnerHandler>;
beforeEach(async () => {
  // Only the clock is fake: PGlite, the queue and the Discord fake run on real timers.
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(T0);
  await emptyTables(store());
  discord.reset();
  queue = new LocalTurnQueue({ visibilityTimeoutMs: 50 });
  scheduler = await startLocalScheduler({ store: store(), queue, characters: [], everyMs: 3_600_000 });
  const settings = await testSettings({ DISCORD_API_TOKEN: 'bot-token', DISCORD_API_URL: discord.url });
  handler = createRunnerHandler(
    runnerDeps({
      settings,
      store: store(),
      memory: new InMemoryMemory(),
      deployed: false,
      discord: new DiscordDelivery({ apiUrl: discord.url }),
      schedules: scheduler,
      model: () => offlineModel(),
    }),
  );
  queue.start(handler);
});
afterEach(async () => {
  await scheduler.stop();
  await queue.stop();
  vi.useRealTimers();
});

const ask = (text: string) =>
  turnRequestSchema.parse({
    id: 'interaction-1',
    character: 'ada',
    conversation: CHANNEL,
    user: { id: '42', name: 'Sam' },
    text,
    source: 'discord',
    reply: { kind: 'discord', applicationId: 'app1', token: 'tok1' },
    receivedAt: T0.toISOString(),
  });

describe('a follow-up the agent promises', () => {
  it('is created by the tool when asked "remind me in 2 minutes to stretch", fires and posts once', async () => {
    await queue.enqueue(ask('remind me in 2 minutes to stretch'));
    await queue.idle();
    expect(discord.messagesFor('tok1')[0]?.content).toBe(
      '(offline) schedule_followup returned: follow-up set for 2030-01-01T09:02:00.000Z: stretch',
    );
    const [followup] = await scheduler.schedules.list({ source: 'followup' });
    expect(followup).toMatchObject({
      agentId: 'ada',
      owner: '42',
      timing: { kind: 'at', at: '2030-01-01T09:02:00.000Z' },
      deliver: { kind: 'discord', channelId: CHANNEL },
    });

    vi.setSystemTime(new Date(+T0 + 60_000));
    expect(await scheduler.tick()).toEqual([]);
    vi.setSystemTime(new Date(+T0 + 125_000));
    expect(await scheduler.tick()).toHaveLength(1);
    await queue.idle();
    vi.setSystemTime(new Date(+T0 + 3_600_000));
    expect(await scheduler.tick()).toEqual([]);
    await queue.idle();

    const posted = discord.channels.messages(CHANNEL);
    expect(posted.map((m) => m.content)).toEqual(['(offline) Reminder: stretch']);
    expect(posted[0]).toMatchObject({ allowed_mentions: { parse: [] }, authorization: 'Bot bot-token' });
  });

  it('answers a second delivery of the same firing without a second Discord message', async () => {
    await queue.enqueue(ask('remind me in 2 minutes to stretch'));
    await queue.idle();
    const [followup] = await scheduler.schedules.list({ source: 'followup' });
    const firing = firingRequest(followup!, new Date('2030-01-01T09:02:00Z'));
    vi.setSystemTime(new Date(+T0 + 125_000));
    // The queue delivers the same firing twice (a retried target, a second scheduler).
    await handler(sqsEvent(sqsRecord(firing)));
    await handler(sqsEvent(sqsRecord(firing, 2)));
    expect(discord.channels.messages(CHANNEL)).toHaveLength(1);

    // A runner that lost its progress (crashed after posting) sends again: the nonce holds.
    const fresh = new DiscordChannelDelivery({ botToken: () => 'bot-token', apiUrl: discord.url });
    await fresh.deliver(firing, { kind: 'reply', text: '(offline) Reminder: stretch' });
    expect(discord.channels.messages(CHANNEL)).toHaveLength(1);
  });

  it('refuses a sixth waiting follow-up for the same user and says so', async () => {
    for (let i = 1; i <= 6; i++) {
      await queue.enqueue({ ...ask(`remind me in ${i} hours to drink water`), id: `interaction-${i}` });
    }
    await queue.idle();
    expect(await scheduler.schedules.list({ source: 'followup' })).toHaveLength(5);
    expect(discord.messagesFor('tok1').at(-1)?.content).toContain('already has 5 schedules waiting to fire');
  });
});
