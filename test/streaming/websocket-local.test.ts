import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { PgliteStore } from '#core/adapters/store/pglite.ts';
import { openMigratedPglite } from '#test/support/pglite.ts';
import { serverFrameSchema } from '#core/api/ws-frames.ts';
import { SqlApiKeyRepository } from '#core/adapters/store/api-keys.ts';
import { testStack } from '../local/support/stack.ts';
import { GatedModel } from './support/gated-model.ts';

let store: PgliteStore;
beforeAll(async () => {
  store = await openMigratedPglite();
});
afterAll(async () => store.close());

type Frame = {
  type: string;
  jobId?: string;
  seq?: number;
  kind?: string;
  status?: number;
  data?: { text?: string };
};

function connect(
  url: string,
  key: string,
): Promise<{ ws: WebSocket; frames: Frame[]; next(pred: (f: Frame) => boolean): Promise<Frame> }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers: { authorization: `Bearer ${key}` } });
    const frames: Frame[] = [];
    const waiters: Array<{ pred: (f: Frame) => boolean; resolve: (f: Frame) => void }> = [];
    ws.on('message', (raw) => {
      const frame = JSON.parse(String(raw)) as Frame;
      frames.push(frame);
      for (const w of waiters.filter((x) => x.pred(frame))) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(frame);
      }
    });
    ws.once('open', () =>
      resolve({
        ws,
        frames,
        next: (pred) =>
          new Promise((res) => {
            const seen = frames.find(pred);
            if (seen) return res(seen);
            waiters.push({ pred, resolve: res });
          }),
      }),
    );
    ws.once('unexpected-response', (_req, res) => reject(new Error(`refused: ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

describe('the WebSocket API on the local stack', () => {
  it('pushes deltas in order and one done equal to the reply; a bad key is refused; a client leaving does not break the turn', async () => {
    const model = new GatedModel(2);
    const t = await testStack({ store, model: () => model.resolved() });
    const url = `${t.stack.url.replace('http', 'ws')}/v1/ws`;
    try {
      await expect(connect(url, 'ck_not_a_key_0000000000')).rejects.toThrow('refused: 401');

      // A client that leaves mid-stream.
      const quitter = await connect(url, t.stack.devApiKey);
      quitter.ws.send(
        JSON.stringify({ action: 'message', agent: 'ada', body: { text: 'first one, then I go' } }),
      );
      const queued = await quitter.next((f) => f.type === 'queued');
      await model.holding;
      quitter.ws.terminate();
      model.release();
      expect((await t.finished(queued.jobId!)).status).toBe('done');

      const client = await connect(url, t.stack.devApiKey);
      client.ws.send(
        JSON.stringify({ action: 'message', agent: 'ada', body: { text: 'tell me about the tides' } }),
      );
      const done = await client.next((f) => f.kind === 'done');
      // Every frame is one the shipped JSON Schema (generated from this zod schema) describes.
      for (const frame of client.frames) serverFrameSchema.parse(frame);
      const events = client.frames.filter((f) => f.type === 'event');
      expect(events.map((f) => f.seq)).toEqual(events.map((_, i) => i + 1));
      const deltas = events.filter((f) => f.kind === 'delta').map((f) => f.data!.text);
      expect(deltas.length).toBeGreaterThan(3);
      expect(events.filter((f) => f.kind === 'done')).toHaveLength(1);
      const job = (await t.finished(done.jobId!)) as { reply: string };
      expect(done.data!.text).toBe(job.reply);
      expect(deltas.join('')).toBe(job.reply);

      client.ws.send('not json');
      expect(await client.next((f) => f.type === 'error')).toMatchObject({ type: 'error' });
      client.ws.close();

      // Subscribing to a finished job replays after `after`; another tenant's key finds no job.
      const late = await connect(url, t.stack.devApiKey);
      late.ws.send(JSON.stringify({ action: 'subscribe', jobId: done.jobId, after: 2 }));
      await late.next((f) => f.kind === 'done');
      expect(late.frames[0]).toMatchObject({ type: 'subscribed', jobId: done.jobId, after: 2 });
      expect(late.frames.slice(1).every((f) => (f.seq ?? 0) > 2)).toBe(true);
      late.ws.close();
      const { key } = await new SqlApiKeyRepository(store).create('other', ['messages'], { tenant: 'other' });
      const stranger = await connect(url, key);
      stranger.ws.send(JSON.stringify({ action: 'subscribe', jobId: done.jobId }));
      expect(await stranger.next((f) => f.type === 'error')).toMatchObject({ status: 404 });
      stranger.ws.close();
    } finally {
      model.release();
      await t.stack.stop();
    }
  });

  it('takes x-api-key as the deployed API does, and closes only the socket of an oversized frame', async () => {
    const t = await testStack({ store });
    const url = `${t.stack.url.replace('http', 'ws')}/v1/ws`;
    try {
      const byHeader = new WebSocket(url, { headers: { 'x-api-key': t.stack.devApiKey } });
      await new Promise((resolve, reject) => {
        byHeader.once('open', resolve);
        byHeader.once('unexpected-response', (_req, res) => reject(new Error(`refused: ${res.statusCode}`)));
      });
      const closed = new Promise<number>((resolve) => byHeader.once('close', (code) => resolve(code)));
      byHeader.send(JSON.stringify({ action: 'message', agent: 'ada', body: { text: 'x'.repeat(70_000) } }));
      expect(await closed).toBe(1009);

      // The stack is still up: another client is answered.
      const client = await connect(url, t.stack.devApiKey);
      client.ws.send(JSON.stringify({ action: 'message', agent: 'ada', body: { text: 'still there?' } }));
      const queued = await client.next((f) => f.type === 'queued');
      expect((await t.finished(queued.jobId!)).status).toBe('done');
      client.ws.close();
    } finally {
      await t.stack.stop();
    }
  });
});
