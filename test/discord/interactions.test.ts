import { describe, expect, it } from 'vitest';
import { createInteractionsHandler, MESSAGES, type InteractionsDeps } from '#core/discord/interactions.ts';
import { interactionsLambda } from '#core/adapters/lambda/interactions.ts';
import type { Log } from '#core/ports/log.ts';
import type { TurnQueue } from '#core/ports/queue.ts';
import { turnRequestSchema, type TurnRequest } from '#core/ports/turn-request.ts';
import {
  askInteraction,
  commandInteraction,
  forgetInteraction,
  signedInteractionEvent,
  testDiscordApp,
} from '#test/factories/discord.ts';

const app = testDiscordApp();
const NOW = Date.parse('2030-01-02T03:04:05.000Z');

interface Logged {
  level: string;
  message: string;
  extra: Record<string, unknown>[];
}

function setup(overrides: Partial<InteractionsDeps> = {}) {
  const queued: TurnRequest[] = [];
  const logged: Logged[] = [];
  const log: Log = {
    info: (message, ...extra) => logged.push({ level: 'info', message, extra }),
    warn: (message, ...extra) => logged.push({ level: 'warn', message, extra }),
    error: (message, ...extra) => logged.push({ level: 'error', message, extra }),
  };
  const queue: TurnQueue = { enqueue: async (r) => void queued.push(r) };
  const handler = interactionsLambda(
    createInteractionsHandler({
      queue,
      characters: ['ada', 'night-owl'],
      env: { DISCORD_PUBLIC_KEY: app.publicKey },
      log,
      now: () => NOW,
      ...overrides,
    }),
  );
  const send = async (interaction: unknown, character = 'ada') => {
    const event = signedInteractionEvent(app, interaction, { character, timestamp: String(NOW / 1000) });
    const result = await handler(event);
    return { status: result.statusCode, body: JSON.parse(result.body ?? 'null') as Record<string, unknown> };
  };
  return { send, queued, logged, handler };
}

describe('the interactions endpoint', () => {
  it('defers /ask and queues a valid TurnRequest keyed by the interaction, grouped by channel', async () => {
    const { send, queued } = setup();
    const interaction = askInteraction('  what is a monad?  ', {
      channelId: '5555',
      token: 'tok-1',
      applicationId: '1111',
      user: { id: '42', username: 'sam', global_name: 'Sam', nick: 'Sammy' },
    });
    const { status, body } = await send(interaction);
    expect(status).toBe(200);
    expect(body).toEqual({ type: 5 });
    expect(queued).toHaveLength(1);
    const request = queued[0]!;
    expect(turnRequestSchema.parse(request)).toEqual(request);
    expect(request).toEqual({
      id: interaction.id,
      action: 'turn',
      character: 'ada',
      conversation: '5555',
      user: { id: '42', name: 'Sammy' },
      text: 'what is a monad?',
      source: 'discord',
      reply: { kind: 'discord', applicationId: '1111', token: 'tok-1', ephemeral: false },
      receivedAt: '2030-01-02T03:04:05.000Z',
    });
  });

  it('keys a DM conversation by the user and names them by their display name', async () => {
    const { send, queued } = setup();
    await send(
      askInteraction('hi', { guildId: null, user: { id: '42', username: 'sam', global_name: 'Sam' } }),
    );
    expect(queued[0]).toMatchObject({ conversation: 'dm:42', user: { id: '42', name: 'Sam' } });
  });

  it('answers privately when /ask is private, and tells the runner so', async () => {
    const { send, queued } = setup();
    const { body } = await send(askInteraction('secret question', { private: true }));
    expect(body).toEqual({ type: 5, data: { flags: 64 } });
    expect(queued[0]?.reply).toMatchObject({ kind: 'discord', ephemeral: true });
  });

  it('queues /forget and confirms privately at once', async () => {
    const { send, queued } = setup();
    const interaction = forgetInteraction({ user: { id: '42' } });
    const { body } = await send(interaction, 'night-owl');
    expect(body).toEqual({
      type: 4,
      data: { content: MESSAGES.forgetting, flags: 64, allowed_mentions: { parse: [] } },
    });
    expect(queued).toHaveLength(1);
    expect(queued[0]).toMatchObject({
      id: interaction.id,
      action: 'forget',
      character: 'night-owl',
      user: { id: '42' },
      text: '',
      reply: { kind: 'discord', ephemeral: true },
    });
    expect(turnRequestSchema.safeParse(queued[0]).success).toBe(true);
  });

  it('answers an unknown command with a private error and queues nothing', async () => {
    const { send, queued } = setup();
    const { body } = await send(commandInteraction('dance'));
    expect(body).toMatchObject({ type: 4, data: { flags: 64 } });
    expect((body.data as { content: string }).content).toBe(
      "I don't know the command /dance. Try `/ask` or `/forget`.",
    );
    expect(queued).toEqual([]);
  });

  it('asks for text when /ask is blank', async () => {
    const { send, queued } = setup();
    const { body } = await send(askInteraction('   '));
    expect(body).toMatchObject({ type: 4, data: { content: MESSAGES.emptyAsk, flags: 64 } });
    expect(queued).toEqual([]);
  });

  it('tells the user to try again when the queue fails, and logs why', async () => {
    const queue: TurnQueue = {
      enqueue: async () => {
        throw new Error('SQS unavailable');
      },
    };
    const { send, logged } = setup({ queue });
    const { status, body } = await send(askInteraction('hello'));
    expect(status).toBe(200);
    expect(body).toEqual({
      type: 4,
      data: { content: MESSAGES.busy, flags: 64, allowed_mentions: { parse: [] } },
    });
    expect(logged.find((l) => l.level === 'error')?.extra[0]).toMatchObject({ reason: 'SQS unavailable' });
  });

  it('answers "try again" within the deadline when the queue hangs, and aborts the send', async () => {
    let signal: AbortSignal | undefined;
    const queue: TurnQueue = {
      enqueue: (_request, options) => {
        signal = options?.signal;
        return new Promise(() => {});
      },
    };
    const { send } = setup({ queue, enqueueTimeoutMs: 20 });
    const { body } = await send(askInteraction('hello'));
    expect(body).toMatchObject({ type: 4, data: { content: MESSAGES.busy } });
    expect(signal?.aborted).toBe(true);
  });

  it('answers autocomplete with an empty choice list and other interaction types with a private note', async () => {
    const { send } = setup();
    const autocomplete = { ...askInteraction('he'), type: 4 };
    expect((await send(autocomplete)).body).toEqual({ type: 8, data: { choices: [] } });
    const button = { ...askInteraction('x'), type: 3 };
    expect((await send(button)).body).toMatchObject({ type: 4, data: { content: MESSAGES.unsupported } });
  });

  it('returns 404 JSON for a character it does not serve, before touching the body', async () => {
    const { send } = setup();
    const { status, body } = await send(askInteraction('hi'), 'nobody');
    expect(status).toBe(404);
    expect(body).toEqual({
      error: { code: 'character_unknown', message: 'no character "nobody" is served here' },
    });
  });

  it('returns 503 and logs the variable to set, never a value, when no public key is configured', async () => {
    const { send, logged } = setup({ env: { DISCORD_ADA_BOT_TOKEN: 'secret-bot-token' } });
    const { status, body } = await send(askInteraction('hi'));
    expect(status).toBe(503);
    expect(body).toEqual({
      error: {
        code: 'discord_not_configured',
        message: 'DISCORD_ADA_PUBLIC_KEY is not set: this character is not on Discord here',
      },
    });
    const line = logged.find((l) => l.level === 'error');
    expect(line?.message).toBe(
      'Discord public key for ada is not set; set DISCORD_ADA_PUBLIC_KEY or DISCORD_PUBLIC_KEY',
    );
    expect(JSON.stringify(logged)).not.toContain('secret-bot-token');
  });

  it('treats a malformed public key as configuration, not as a bad request', async () => {
    const { send, logged } = setup({ env: { DISCORD_NIGHT_OWL_PUBLIC_KEY: 'abc123' } });
    expect((await send(askInteraction('hi'), 'night-owl')).status).toBe(503);
    expect(logged[0]?.message).toContain('DISCORD_NIGHT_OWL_PUBLIC_KEY');
    expect(JSON.stringify(logged)).not.toContain('abc123');
  });

  it('rejects a signed body that is not an interaction with 400', async () => {
    const { handler } = setup();
    for (const body of [
      'not json',
      '[]',
      '{"type":2}',
      JSON.stringify({ ...askInteraction('x'), member: undefined, user: undefined }),
    ]) {
      const event = signedInteractionEvent(app, null, { body, timestamp: String(NOW / 1000) });
      expect((await handler(event)).statusCode).toBe(400);
    }
  });

  it('never logs the interaction token', async () => {
    const { send, logged } = setup();
    await send(askInteraction('hi', { token: 'very-secret-token' }));
    await send(commandInteraction('dance', [], { token: 'very-secret-token' }));
    expect(logged.length).toBeGreaterThan(0);
    expect(JSON.stringify(logged)).not.toContain('very-secret-token');
  });

  it('reads the character from the raw path when the route has no path parameter', async () => {
    const { handler } = setup();
    const event = signedInteractionEvent(app, askInteraction('hi'), { timestamp: String(NOW / 1000) });
    delete event.pathParameters;
    expect((await handler(event)).statusCode).toBe(200);
    event.rawPath = '/discord/%E0%A4%A/interactions';
    expect((await handler(event)).statusCode).toBe(404);
  });
});
