import type { ModelRequest, StreamEvent } from '@openai/agents';
import { DiscordLiveReplies } from '#core/adapters/discord-rest/live-reply.ts';
import { discordRest } from '#core/adapters/discord-rest/rest.ts';
import { replayStream } from '#core/adapters/models/replay-stream.ts';
import { processTurnRequest } from '#core/turns/process-turn.ts';
import { FakeDiscordApi } from '#test/fakes/discord-api.ts';
import { InMemoryLiveReplies } from '#test/fakes/in-memory-live-replies.ts';
import { InMemoryTurnEvents } from '#test/fakes/in-memory-turn-events.ts';
import { InMemoryTurnRepository } from '#test/fakes/in-memory-turns.ts';
import { EchoModel } from '#test/runner/support/echo-model.ts';
import { turnRequest } from '#test/runner/support/requests.ts';
import { testRunnerDeps } from '#test/runner/support/runner-deps.ts';
import { benchWebSocketFrames } from './streaming-websocket.ts';
import { ms, percentile, type BenchRow } from './table.ts';

/** The echo model streaming at 50 tokens a second (a word every 20 ms). */
class PacedEcho extends EchoModel {
  override async *getStreamedResponse(request: ModelRequest): AsyncIterable<StreamEvent> {
    yield* replayStream(await this.getResponse(request), 'paced', { delayMs: 20 });
  }
}

/**
 * A streamed Discord turn end to end in process: model at 50 tokens/s → events → live editor →
 * a loopback Discord enforcing 5 edits per 5 s on @original. Measures the model's first token
 * to the first visible edit, and the event writes (round trips) one streamed turn costs.
 */
export async function benchStreaming(): Promise<BenchRow[]> {
  const discord = await FakeDiscordApi.start({ originalBucket: { limit: 5, windowMs: 5000 } });
  const firstEdit: number[] = [];
  const writes: number[] = [];
  const edits: number[] = [];
  const words = 250;
  try {
    for (let run = 0; run < 3; run++) {
      const turns = new InMemoryTurnRepository();
      const events = new InMemoryTurnEvents(turns);
      const live = new DiscordLiveReplies({
        replies: new InMemoryLiveReplies(),
        rest: discordRest({ apiUrl: discord.url }),
      });
      let firstToken = 0;
      let edited = 0;
      discord.onRequest = (r) => {
        if (!edited && r.method === 'PATCH') edited = performance.now();
      };
      const { runner } = testRunnerDeps(turns, new PacedEcho(), {
        delivery: live,
        live: {
          events,
          liveSinks: (request) => [
            {
              event: (e) => void (e.kind === 'delta' && !firstToken && (firstToken = performance.now())),
              close: async () => {},
            },
            ...live.sinks(request),
          ],
        },
      });
      const token = `bench-${run}`;
      const text = Array.from({ length: words }, (_, i) => `word${i}${i % 12 === 11 ? '.' : ''}`).join(' ');
      await processTurnRequest(
        turnRequest({
          source: 'discord',
          text,
          reply: { kind: 'discord', applicationId: 'app', token, ephemeral: false },
        }),
        { receiveCount: 1 },
        runner,
      );
      firstEdit.push(edited - firstToken);
      writes.push(events.appends);
      edits.push(discord.requests.filter((r) => r.token === token && r.route.endsWith('@original')).length);
    }
  } finally {
    await discord.close();
  }
  return [
    {
      suite: 'streaming',
      name: 'first token → first Discord edit, median',
      value: ms(percentile(firstEdit, 50)),
      note: '50 tokens/s model, first edit at the first sentence end (every 12th word here)',
    },
    {
      suite: 'streaming',
      name: 'event writes per streamed turn',
      value: String(percentile(writes, 50)),
      note: `${words} words in ~${(words * 0.02).toFixed(0)} s: ≤ 4/s + the end`,
    },
    {
      suite: 'streaming',
      name: '@original edits per turn',
      value: String(percentile(edits, 50)),
      note: '5/5 s bucket, no 429',
    },
    ...(await benchWebSocketFrames()),
  ];
}
