import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LiveEditor } from '#core/adapters/discord-rest/live-editor.ts';
import { DiscordLiveReplies } from '#core/adapters/discord-rest/live-reply.ts';
import { discordRest } from '#core/adapters/discord-rest/rest.ts';
import { splitMessage } from '#core/discord/split-message.ts';
import type { NewTurnEvent } from '#core/ports/turn-events.ts';
import { FakeDiscordApi } from '#test/fakes/discord-api.ts';
import { InMemoryLiveReplies } from '#test/fakes/in-memory-live-replies.ts';
import { turnRequest } from '#test/runner/support/requests.ts';
import { VirtualClock } from '#test/support/virtual-clock.ts';
import { InMemoryTurnRepository } from '#test/fakes/in-memory-turns.ts';
import { settleDeadLetter } from '#core/turns/dead-letter.ts';
import { APOLOGY } from '#core/turns/process-turn.ts';

let discord: FakeDiscordApi;
let clock: VirtualClock;
beforeAll(async () => {
  discord = await FakeDiscordApi.start({
    // What Discord does on an interaction's @original: ~5 edits per 5 s.
    originalBucket: { limit: 5, windowMs: 5000, now: () => clock.now() },
  });
});
afterAll(() => discord.close());
beforeEach(() => {
  clock = new VirtualClock();
  discord.reset();
});

/** ~3,000 characters with a code block that must never be cut. */
const REPLY = [
  ...Array.from({ length: 24 }, (_, i) => `Line ${i} of the answer says something useful about tides.`),
  '',
  '```ts',
  ...Array.from({ length: 14 }, (_, i) => `const step${i} = computeTide(${i}); // keep this block whole`),
  '```',
  '',
  ...Array.from({ length: 16 }, (_, i) => `Then sentence ${i} explains the result. It goes on a bit.`),
].join('\n');

const request = () =>
  turnRequest({
    source: 'discord',
    reply: {
      kind: 'discord',
      applicationId: 'app1',
      token: `tok-${Math.random().toString(36).slice(2)}`,
      ephemeral: false,
    },
  });

/** Feeds the reply as word deltas at 50 tokens a second; stops after `upTo` characters. */
async function stream(editor: LiveEditor, upTo = REPLY.length): Promise<void> {
  const settle = async () => {
    await new Promise((r) => setImmediate(r));
    while (editor.writing) await editor.writing;
  };
  let seq = 0;
  let sent = 0;
  for (const word of REPLY.match(/\s*\S+\s*/g)!) {
    if (sent >= upTo) break;
    const event: NewTurnEvent = { seq: ++seq, kind: 'delta', data: { text: word } };
    editor.event(event);
    sent += word.length;
    await clock.advance(20, settle);
  }
}

async function finish(live: DiscordLiveReplies, editor: LiveEditor, req: ReturnType<typeof request>) {
  editor.event({ seq: 9999, kind: 'done', data: { text: REPLY } });
  await editor.close();
  let over = false;
  const delivered = live.deliver(req, { kind: 'reply', text: REPLY }).finally(() => (over = true));
  while (!over) await clock.advance(100, () => new Promise((r) => setImmediate(r)));
  return delivered;
}

const edits = (token: string) =>
  discord.requests.filter((r) => r.token === token && r.method === 'PATCH' && r.route.endsWith('/@original'));
const posts = (token: string) => discord.requests.filter((r) => r.token === token && r.method === 'POST');

describe('a Discord reply that grows as the turn is written', () => {
  it('arrives as progressive edits and one follow-up, paced under the bucket, ending exactly as the reply', async () => {
    const live = new DiscordLiveReplies({
      replies: new InMemoryLiveReplies(),
      rest: discordRest({ apiUrl: discord.url }),
      clock,
    });
    const req = request();
    const token = (req.reply as { token: string }).token;
    const [editor] = live.sinks(req);
    await stream(editor as LiveEditor);
    const result = await finish(live, editor as LiveEditor, req);

    expect(result).toEqual({ status: 'delivered', messages: 2 });
    expect(REPLY.length).toBeGreaterThan(3000);
    expect(edits(token).length).toBeGreaterThanOrEqual(4); // ≥ 3 progressive + the last
    expect(posts(token)).toHaveLength(1);
    expect(discord.rateLimited).toBe(0);
    expect(discord.requests.every((r) => r.status < 400)).toBe(true);
    // The final messages are the reply, split as a non-streamed reply is.
    expect(discord.messagesFor(token).map((m) => m.content)).toEqual(splitMessage(REPLY));
    // No write ever showed half a code block.
    for (const r of discord.requests.filter((x) => x.token === token && x.body?.content)) {
      expect((r.body.content as string).split('```').length % 2).toBe(1);
      expect(r.body.allowed_mentions).toEqual({ parse: [] });
    }
  });

  it('continues after a redelivery mid-stream from what was posted: no second follow-up', async () => {
    const replies = new InMemoryLiveReplies();
    const req = request();
    const token = (req.reply as { token: string }).token;
    const first = new DiscordLiveReplies({ replies, rest: discordRest({ apiUrl: discord.url }), clock });
    const [editor1] = first.sinks(req);
    await stream(editor1 as LiveEditor, 3100);
    await (editor1 as LiveEditor).close(); // the runner died here
    expect(posts(token)).toHaveLength(1);

    // Another process takes the redelivered turn and streams it from the start.
    const second = new DiscordLiveReplies({ replies, rest: discordRest({ apiUrl: discord.url }), clock });
    const [editor2] = second.sinks(req);
    await stream(editor2 as LiveEditor);
    await finish(second, editor2 as LiveEditor, req);

    expect(posts(token)).toHaveLength(1);
    expect(discord.messagesFor(token).map((m) => m.content)).toEqual(splitMessage(REPLY));
    expect(discord.rateLimited).toBe(0);
  });

  it('removes follow-ups a shorter retried reply no longer needs, and shows a status line while a tool runs', async () => {
    const replies = new InMemoryLiveReplies();
    const req = request();
    const token = (req.reply as { token: string }).token;
    const live = new DiscordLiveReplies({ replies, rest: discordRest({ apiUrl: discord.url }), clock });
    const [editor] = live.sinks(req) as LiveEditor[];
    await stream(editor!);
    editor!.event({ seq: 1000, kind: 'tool_start', data: { name: 'lookup' } });
    await clock.advance(2000, async () => {
      await new Promise((r) => setImmediate(r));
      while (editor!.writing) await editor!.writing;
    });
    expect(discord.messagesFor(token).at(-1)?.content).toMatch(/looking it up…$/);
    await editor!.close();
    let over = false;
    const done = live.deliver(req, { kind: 'reply', text: 'Short after all.' }).finally(() => (over = true));
    while (!over) await clock.advance(100, () => new Promise((r) => setImmediate(r)));
    await done;
    expect(discord.messagesFor(token).map((m) => m.content)).toEqual(['Short after all.']);
  });

  it("lets a dead-lettered turn's apology replace a partly streamed reply and remove its follow-ups", async () => {
    const replies = new InMemoryLiveReplies();
    const req = request();
    const token = (req.reply as { token: string }).token;
    const runner = new DiscordLiveReplies({ replies, rest: discordRest({ apiUrl: discord.url }), clock });
    const [editor] = runner.sinks(req);
    await stream(editor as LiveEditor, 3100);
    await (editor as LiveEditor).close(); // the runner died mid-stream; the message went to the dead-letter queue
    expect(posts(token)).toHaveLength(1);
    const turns = new InMemoryTurnRepository();
    await turns.claim(req, { leaseSeconds: 0 });

    // The dead-letter consumer, another process, with the same stored follow-up ids.
    const consumer = new DiscordLiveReplies({ replies, rest: discordRest({ apiUrl: discord.url }), clock });
    let over = false;
    const settled = settleDeadLetter(req, { turns, delivery: consumer }).finally(() => (over = true));
    while (!over) await clock.advance(100, () => new Promise((r) => setImmediate(r)));
    expect(await settled).toBe('apologised');
    expect(discord.messagesFor(token).map((m) => m.content)).toEqual([APOLOGY]);
    expect(discord.deleted.filter((d) => d.token === token)).toHaveLength(1);
    expect(posts(token)).toHaveLength(1);
  });
});
