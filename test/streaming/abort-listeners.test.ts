import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { Usage } from '@openai/agents';
import { replayStream } from '#core/adapters/models/replay-stream.ts';
import { pause } from '#core/turns/follow-events.ts';

describe('waiting on a long-lived signal', () => {
  it('leaves no abort listener behind a pause that ran its time, and ends at once on abort', async () => {
    const follower = new AbortController();
    for (let i = 0; i < 20; i++) await pause(1, follower.signal);
    expect(getEventListeners(follower.signal, 'abort')).toHaveLength(0);
    const paused = pause(60_000, follower.signal);
    follower.abort();
    await expect(paused).resolves.toBeUndefined();
  });

  it("leaves none behind the offline model's paced words, and stops them with the signal's reason", async () => {
    const turn = new AbortController();
    const response = {
      usage: new Usage(),
      output: [
        {
          type: 'message' as const,
          role: 'assistant' as const,
          status: 'completed' as const,
          content: [{ type: 'output_text' as const, text: 'one two three four five' }],
        },
      ],
    };
    const events = [];
    for await (const event of replayStream(response, 'offline', { delayMs: 1, signal: turn.signal }))
      events.push(event);
    expect(events.filter((e) => e.type === 'output_text_delta').length).toBeGreaterThan(1);
    expect(getEventListeners(turn.signal, 'abort')).toHaveLength(0);

    const reason = new Error('turn timed out');
    turn.abort(reason);
    const stopped = (async () => {
      for await (const event of replayStream(response, 'offline', { delayMs: 1, signal: turn.signal }))
        void event;
    })();
    await expect(stopped).rejects.toBe(reason);
  });
});
