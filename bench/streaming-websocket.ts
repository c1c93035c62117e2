import type { ModelRequest, StreamEvent } from '@openai/agents';
import WebSocket from 'ws';
import { replayStream } from '#core/adapters/models/replay-stream.ts';
import { startLocalStack } from '#core/local/stack.ts';
import { EchoModel } from '#test/runner/support/echo-model.ts';
import { openMigratedPglite } from '#test/support/pglite.ts';
import { testSettings } from '#test/local/support/stack.ts';
import { wsHarness } from '#test/streaming/support/ws-harness.ts';
import { ms, percentile, type BenchRow } from './table.ts';

/** The echo model at 50 tokens a second (a word every 20 ms), noting when its first token came out. */
class FirstTokenEcho extends EchoModel {
  firstToken = 0;
  override async *getStreamedResponse(request: ModelRequest): AsyncIterable<StreamEvent> {
    for await (const event of replayStream(await this.getResponse(request), 'paced', { delayMs: 20 })) {
      if (event.type === 'output_text_delta' && !this.firstToken) this.firstToken = performance.now();
      yield event;
    }
  }
}

const TEXT = Array.from({ length: 60 }, (_, i) => `word${i}${i % 12 === 11 ? '.' : ''}`).join(' ');

/**
 * First model token → first WebSocket event frame, on loopback: the local stack's /v1/ws (it
 * follows the events table), and the deployed path in process (the runner pushing each stored
 * batch through PostToConnection to a loopback Management API).
 */
export async function benchWebSocketFrames(runs = 3): Promise<BenchRow[]> {
  const local: number[] = [];
  const deployed: number[] = [];
  const store = await openMigratedPglite();
  const model = new FirstTokenEcho();
  const stack = await startLocalStack({
    settings: await testSettings(),
    port: 0,
    store,
    model: () => model.resolved(),
    tick: false,
    schedules: false,
  });
  try {
    for (let run = 0; run < runs; run++) {
      model.firstToken = 0;
      local.push(
        (await firstFrame(`${stack.url.replace('http', 'ws')}/v1/ws`, stack.devApiKey)) - model.firstToken,
      );
    }
  } finally {
    await stack.stop();
    await store.close();
  }
  for (let run = 0; run < runs; run++) {
    const paced = new FirstTokenEcho();
    const h = await wsHarness(paced);
    try {
      const { key } = await h.keys.create('bench', ['messages'], { tenant: 'bench' });
      await h.ws('$connect', 'bench', { key });
      let framed = 0;
      const received = h.api.received('bench');
      const push = received.push.bind(received);
      received.push = (...frames) => {
        if (!framed && frames.some((f) => (f as { type?: string }).type === 'event'))
          framed = performance.now();
        return push(...frames);
      };
      await h.send('bench', { action: 'message', agent: 'ada', body: { text: TEXT } });
      await h.queue.idle();
      deployed.push(framed - paced.firstToken);
    } finally {
      await h.close();
    }
  }
  return [
    {
      suite: 'streaming',
      name: 'first token → first WebSocket frame, local stack, median',
      value: ms(percentile(local, 50)),
      note: '50 tokens/s model; /v1/ws follows the events table (250 ms poll)',
    },
    {
      suite: 'streaming',
      name: 'first token → first WebSocket frame, deployed path, median',
      value: ms(percentile(deployed, 50)),
      note: 'runner → stored batch → PostToConnection to a loopback Management API',
    },
  ];
}

/** Connects, sends one message, and once the job is done resolves with when its first event frame came. */
function firstFrame(url: string, key: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers: { authorization: `Bearer ${key}` } });
    let first = 0;
    ws.once('open', () => ws.send(JSON.stringify({ action: 'message', agent: 'ada', body: { text: TEXT } })));
    ws.on('message', (raw) => {
      const frame = JSON.parse(String(raw)) as { type: string; kind?: string };
      if (frame.type === 'event' && !first) first = performance.now();
      if (frame.kind === 'done') ws.close();
    });
    ws.once('close', () => resolve(first));
    ws.once('error', reject);
  });
}
