import type { RateLimitData } from '@discordjs/rest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DiscordDelivery, INTERACTION_TOKEN_LIFETIME_MS } from '#core/adapters/discord-rest/delivery.ts';
import { discordRest } from '#core/adapters/discord-rest/rest.ts';
import type { DeliveryProgress } from '#core/ports/delivery.ts';
import type { TurnRequest } from '#core/ports/turn-request.ts';
import { snowflake } from '#test/factories/discord.ts';
import { FakeDiscordApi } from '#test/fakes/discord-api.ts';

const NOW = Date.parse('2030-01-02T03:04:05.000Z');
let discord: FakeDiscordApi;

beforeAll(async () => {
  discord = await FakeDiscordApi.start();
});
afterAll(() => discord.close());
beforeEach(() => discord.reset());

function request(o: { ephemeral?: boolean; receivedAt?: number } = {}): TurnRequest {
  return {
    id: snowflake(),
    action: 'turn',
    character: 'ada',
    conversation: '7777',
    user: { id: '42', name: 'Sam' },
    text: 'hello',
    source: 'discord',
    reply: {
      kind: 'discord',
      applicationId: '1111',
      token: `tok-${snowflake()}`,
      ephemeral: o.ephemeral ?? false,
    },
    receivedAt: new Date(o.receivedAt ?? NOW - 5_000).toISOString(),
  };
}

function delivery(): DiscordDelivery {
  // offset 0: wait exactly the retry_after Discord asks for.
  return new DiscordDelivery({ rest: discordRest({ apiUrl: discord.url, offset: 0 }), now: () => NOW });
}

const tokenOf = (r: TurnRequest) => (r.reply.kind === 'discord' ? r.reply.token : '');
const paragraphs = (n: number) =>
  Array.from({ length: n }, (_, i) => `Paragraph ${i}: ${'lorem ipsum '.repeat(80).trim()}`).join('\n\n');

describe('delivering replies to Discord', () => {
  it('sends an ephemeral outcome (a budget refusal) only to the asker: the public deferral goes, twice is harmless', async () => {
    const r = request();
    const refusal = { kind: 'reply' as const, text: "I've talked enough for today.", ephemeral: true };
    expect(await delivery().deliver(r, refusal)).toEqual({ status: 'delivered', messages: 1 });
    expect(discord.requests.map((q) => q.method)).toEqual(['DELETE', 'POST']);
    expect(discord.messagesFor(tokenOf(r))).toEqual([
      expect.objectContaining({
        kind: 'followup',
        content: refusal.text,
        flags: 64,
        allowed_mentions: { parse: [] },
      }),
    ]);
    // A retry that finds nothing sent yet deletes again (already gone is fine) and sends it once.
    expect(await delivery().deliver(request(), refusal)).toEqual({ status: 'delivered', messages: 1 });
    expect(discord.deleted).toHaveLength(2);
  });

  it('edits @original with the reply and disables mentions', async () => {
    const r = request();
    const result = await delivery().deliver(r, { kind: 'reply', text: 'Hi @everyone, <@&123> here.' });
    expect(result).toEqual({ status: 'delivered', messages: 1 });
    expect(discord.requests).toHaveLength(1);
    expect(discord.requests[0]).toMatchObject({
      method: 'PATCH',
      route: `/webhooks/1111/${tokenOf(r)}/messages/@original`,
      body: { content: 'Hi @everyone, <@&123> here.', allowed_mentions: { parse: [] } },
    });
    expect(discord.requests[0]?.headers.authorization).toBeUndefined();
  });

  it('splits a 3,000-character reply into @original and one follow-up, both without mentions', async () => {
    const r = request();
    const text = `${'a'.repeat(1500)}\n\n${'b'.repeat(1498)}`;
    expect(text).toHaveLength(3000);
    expect(await delivery().deliver(r, { kind: 'reply', text })).toEqual({
      status: 'delivered',
      messages: 2,
    });
    const messages = discord.messagesFor(tokenOf(r));
    expect(messages.map((m) => [m.kind, m.content])).toEqual([
      ['original', 'a'.repeat(1500)],
      ['followup', 'b'.repeat(1498)],
    ]);
    expect(messages.every((m) => JSON.stringify(m.allowed_mentions) === '{"parse":[]}')).toBe(true);
    expect(messages[1]?.flags).toBe(0);
  });

  it('marks follow-ups of a private answer ephemeral', async () => {
    const r = request({ ephemeral: true });
    await delivery().deliver(r, { kind: 'reply', text: paragraphs(4) });
    const followups = discord.messagesFor(tokenOf(r)).filter((m) => m.kind === 'followup');
    expect(followups.length).toBeGreaterThan(0);
    expect(followups.every((m) => m.flags === 64)).toBe(true);
  });

  it('posts no follow-up twice when delivery runs again after a success', async () => {
    const r = request();
    const d = delivery();
    const outcome = { kind: 'reply', text: paragraphs(6) } as const;
    const first = await d.deliver(r, outcome);
    const again = await d.deliver(r, outcome);
    expect(again).toEqual(first);
    const messages = discord.messagesFor(tokenOf(r));
    expect(messages).toHaveLength(first.status === 'delivered' ? first.messages : -1);
    expect(messages.filter((m) => m.kind === 'followup').every((m) => m.writes === 1)).toBe(true);
    expect(messages[0]).toMatchObject({ kind: 'original', writes: 2 });
  });

  it('resumes after a failure mid-way without reposting, and reports progress to keep', async () => {
    const r = request();
    const d = delivery();
    const outcome = { kind: 'reply', text: paragraphs(6) } as const;
    // The second follow-up fails on every try the client makes (1 + 3 retries).
    discord.inject({ status: 502, method: 'POST', skip: 1, times: 4 });
    const progress: DeliveryProgress[] = [];
    await expect(d.deliver(r, outcome, { onProgress: async (p) => void progress.push(p) })).rejects.toThrow();
    expect(progress).toEqual([{ sent: 1 }, { sent: 2 }]);

    const result = await d.deliver(r, outcome);
    const messages = discord.messagesFor(tokenOf(r));
    expect(result).toEqual({ status: 'delivered', messages: messages.length });
    expect(messages.filter((m) => m.kind === 'followup').map((m) => m.writes)).toEqual(
      Array(messages.length - 1).fill(1),
    );
  });

  it('skips the messages a previous process sent when given its saved progress', async () => {
    const r = request();
    const outcome = { kind: 'reply', text: paragraphs(6) } as const;
    const first = await delivery().deliver(r, outcome);
    const posts = discord.requests.filter((q) => q.method === 'POST').length;
    const fresh = delivery();
    const resumed = await fresh.deliver(r, outcome, {
      resumeFrom: { sent: first.status === 'delivered' ? first.messages : 0 },
    });
    expect(resumed).toEqual(first);
    expect(discord.requests.filter((q) => q.method === 'POST')).toHaveLength(posts);
  });

  it('waits out a 429 for the retry_after Discord asks for, then delivers once', async () => {
    const r = request();
    const limits: RateLimitData[] = [];
    // The client consults this on every 429 before waiting; false means "wait, then retry".
    const rejectOnRateLimit = (info: RateLimitData) => {
      limits.push(info);
      return false;
    };
    const rest = discordRest({ apiUrl: discord.url, offset: 0, rejectOnRateLimit });
    discord.rateLimitNext(0.25, { method: 'PATCH' });
    const result = await new DiscordDelivery({ rest, now: () => NOW }).deliver(r, {
      kind: 'reply',
      text: 'hi',
    });
    expect(result).toEqual({ status: 'delivered', messages: 1 });
    expect(discord.requests.map((q) => q.status)).toEqual([429, 200]);
    expect(limits).toHaveLength(1);
    expect(limits[0]?.retryAfter).toBe(250);
    expect(discord.messagesFor(tokenOf(r))).toHaveLength(1);
  });

  it('gives up without calling Discord once the 15-minute token is dead', async () => {
    const r = request({ receivedAt: NOW - INTERACTION_TOKEN_LIFETIME_MS });
    const result = await delivery().deliver(r, { kind: 'reply', text: 'too late' });
    expect(result).toEqual({
      status: 'undeliverable',
      reason: 'interaction token expired: 15 minutes after the command (Discord allows 15)',
    });
    expect(discord.requests).toEqual([]);
  });

  it.each([
    [
      'an expired token (50027)',
      (r: TurnRequest) => discord.expireToken(tokenOf(r)),
      'Discord 401 (code 50027)',
    ],
    [
      'an unknown webhook (10015)',
      () => discord.inject({ status: 404, code: 10015, message: 'Unknown Webhook' }),
      'Discord 404 (code 10015)',
    ],
    [
      'an unknown interaction (10062)',
      () => discord.inject({ status: 404, code: 10062, message: 'Unknown interaction' }),
      'Discord 404 (code 10062)',
    ],
  ])('treats %s as final: undeliverable, not retried', async (_name, arrange, reason) => {
    const r = request();
    arrange(r);
    const result = await delivery().deliver(r, { kind: 'reply', text: 'hello' });
    expect(result).toMatchObject({ status: 'undeliverable' });
    expect(result.status === 'undeliverable' && result.reason).toContain(reason);
    expect(discord.requests).toHaveLength(1);
  });

  it('throws on a persistent 5xx so the queue retries the delivery', async () => {
    discord.inject({ status: 503, times: 10 });
    await expect(delivery().deliver(request(), { kind: 'reply', text: 'hello' })).rejects.toMatchObject({
      status: 503,
    });
  });

  it('skips requests that are not Discord interactions', async () => {
    const r: TurnRequest = { ...request(), reply: { kind: 'api', jobId: 'job-1' } };
    expect(await delivery().deliver(r, { kind: 'reply', text: 'hi' })).toEqual({ status: 'skipped' });
    expect(discord.requests).toEqual([]);
  });

  it('delivers an apology the same way as a reply', async () => {
    const r = request();
    const result = await delivery().deliver(r, {
      kind: 'apology',
      text: 'Sorry, try later.',
      reason: 'model down',
      code: 'agent_failed',
    });
    expect(result).toEqual({ status: 'delivered', messages: 1 });
    expect(discord.messagesFor(tokenOf(r))[0]?.content).toBe('Sorry, try later.');
  });
});
