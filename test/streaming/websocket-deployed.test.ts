import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverFrameSchema } from '#core/api/ws-frames.ts';
import { webSocketSinks } from '#core/api/live-push.ts';
import { settleDeadLetter } from '#core/turns/dead-letter.ts';
import { RecordingDelivery } from '../runner/support/recording-delivery.ts';
import { turnRequest } from '../runner/support/requests.ts';
import { GatedModel } from './support/gated-model.ts';
import { wsHarness } from './support/ws-harness.ts';
import { EchoModel } from '../runner/support/echo-model.ts';

type H = Awaited<ReturnType<typeof wsHarness>>;
let h: H;
let alpha: string;
let beta: string;
beforeAll(async () => {
  h = await wsHarness(new EchoModel());
  alpha = (await h.keys.create('alpha', ['messages'], { tenant: 'alpha' })).key;
  beta = (await h.keys.create('beta', ['messages'], { tenant: 'beta' })).key;
});
afterAll(() => h.close());

/** What a connection received, each frame checked against the frames' schema. */
function frames(connectionId: string) {
  return h.api.received(connectionId).map((f) => serverFrameSchema.parse(f));
}

async function askAndFinish(connectionId: string, text: string) {
  await h.send(connectionId, { action: 'message', agent: 'ada', body: { text }, ref: 'r1' });
  await h.queue.idle();
  const queued = frames(connectionId).find((f) => f.type === 'queued');
  if (!queued || queued.type !== 'queued')
    throw new Error(`no queued frame: ${JSON.stringify(frames(connectionId))}`);
  return queued.jobId;
}

describe('the deployed WebSocket API (use case, API app, runner pushing through a Management API fake)', () => {
  it('refuses $connect without a key, with a bad key or without the messages scope, with the HTTP API’s check', async () => {
    expect((await h.ws('$connect', 'no-key')).statusCode).toBe(401);
    const bad = await h.ws('$connect', 'bad-key', { key: 'ck_000000000000_nope' });
    expect(bad.statusCode).toBe(401);
    expect(bad.body).toMatch(/unknown or revoked/);
    const { key } = await h.keys.create('reader', ['agents:read'], { tenant: 'alpha' });
    const scoped = await h.ws('$connect', 'scoped', { key });
    expect(scoped.statusCode).toBe(403);
    expect(scoped.body).toMatch(/--scope messages/);
    expect(await h.connections.principal('bad-key')).toBeUndefined();
  });

  it('queues a message, pushes its deltas in order and one done equal to the reply', async () => {
    expect((await h.ws('$connect', 'c-alpha', { key: alpha })).statusCode).toBe(200);
    const jobId = await askAndFinish('c-alpha', 'tell me about the tides and the moon');
    const got = frames('c-alpha');
    expect(got[0]).toEqual({ type: 'queued', ref: 'r1', jobId });
    const events = got.filter((f) => f.type === 'event');
    const seqs = events.map((f) => f.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    const done = events.filter((f) => f.kind === 'done');
    expect(done).toHaveLength(1);
    const reply = (await h.turns.get(jobId))!.result!.reply;
    expect(done[0]!.data.text).toBe(reply);
    const deltas = events.filter((f) => f.kind === 'delta').map((f) => f.data.text);
    expect(deltas.join('')).toBe(reply);
    // The stream ended: nobody is subscribed to the job any more.
    expect(await h.connections.subscribers(jobId)).toEqual([]);
  });

  it("never lets a key subscribe to another tenant's job", async () => {
    await h.ws('$connect', 'c-owner', { key: alpha });
    const jobId = await askAndFinish('c-owner', 'a private question');
    await h.ws('$connect', 'c-beta', { key: beta });
    await h.send('c-beta', { action: 'subscribe', jobId, ref: 'peek' });
    expect(frames('c-beta')).toEqual([
      {
        type: 'error',
        ref: 'peek',
        status: 404,
        error: { code: 'not_found', message: expect.stringMatching(/no job .* for this API key's tenant/) },
      },
    ]);
    expect(await h.connections.subscribers(jobId)).not.toContain('c-beta');
  });

  it('replays a finished job after `after` on subscribe, then ends', async () => {
    await h.ws('$connect', 'c-first', { key: alpha });
    const jobId = await askAndFinish('c-first', 'one two three four five');
    await h.ws('$connect', 'c-late', { key: alpha });
    await h.send('c-late', { action: 'subscribe', jobId, after: 2 });
    const [answer, ...rest] = frames('c-late');
    expect(answer).toEqual({ type: 'subscribed', jobId, after: 2 });
    expect(rest.every((f) => f.type === 'event' && f.seq > 2)).toBe(true);
    expect(rest.at(-1)).toMatchObject({ type: 'event', kind: 'done' });
  });

  it('forgets a connection that is gone (410) mid-stream; the turn still finishes', async () => {
    const model = new GatedModel(2);
    const gated = await wsHarness(model);
    try {
      const { key } = await gated.keys.create('k', ['messages'], { tenant: 'alpha' });
      await gated.ws('$connect', 'leaver', { key });
      await gated.send('leaver', { action: 'message', agent: 'ada', body: { text: 'a long answer please' } });
      await model.holding;
      const { jobId } = gated.api.received('leaver')[0] as { jobId: string };
      gated.api.frames.delete('leaver'); // the client went away: API Gateway answers 410
      model.release();
      await gated.queue.idle();
      expect((await gated.turns.get(jobId))!.status).toBe('done');
      expect(await gated.connections.principal('leaver')).toBeUndefined();
      expect(gated.api.requests.some((r) => r.status === 410)).toBe(true);
    } finally {
      await gated.close();
    }
  });

  it('answers bad frames with errors that name the fix, and a flood of them loses nothing', async () => {
    await h.ws('$connect', 'c-bad', { key: alpha });
    await h.send('c-bad', 'not json');
    await h.send('c-bad', { action: 'dance' });
    await h.send('c-bad', { action: 'message', agent: '../etc', body: {}, ref: 'x' });
    const [json, action, agent] = frames('c-bad');
    expect(json).toMatchObject({ type: 'error', status: 400, error: { code: 'invalid_json' } });
    expect(action).toMatchObject({
      error: { code: 'invalid_request', message: expect.stringMatching(/"action":"subscribe"/) },
    });
    expect(agent).toMatchObject({ ref: 'x', error: { details: [{ path: 'frame.agent' }] } });
    await Promise.all(Array.from({ length: 300 }, (_, i) => h.send('c-bad', `{"action":"message","n":${i}`)));
    expect(frames('c-bad')).toHaveLength(303);
    const jobId = await askAndFinish('c-bad', 'still here?');
    expect(frames('c-bad').filter((f) => f.type === 'event' && f.kind === 'done')).toHaveLength(1);
    expect((await h.turns.get(jobId))!.status).toBe('done');
  });

  it("refuses a tenant's connection past the cap with 429, and a frame on an unknown connection with 401", async () => {
    const { key } = await h.keys.create('flood', ['messages'], { tenant: 'flood' });
    const results = await Promise.all(
      Array.from({ length: 205 }, (_, i) => h.ws('$connect', `flood-${i}`, { key })),
    );
    expect(results.filter((r) => r.statusCode === 200)).toHaveLength(200);
    expect(results.filter((r) => r.statusCode === 429).map((r) => r.body)[0]).toMatch(/close some first/);
    h.api.connect('stranger');
    await h.send('stranger', { action: 'subscribe', jobId: 'x' });
    expect(frames('stranger')).toMatchObject([{ type: 'error', status: 401 }]);
  });

  it('ends a dead-lettered job’s open stream with a final error, pushed to its subscribers', async () => {
    const request = turnRequest({ source: 'api', reply: { kind: 'api', jobId: 'job-dead' }, id: 'job-dead' });
    const { attempts } = (await h.turns.claim(request, { leaseSeconds: 0 })) as { attempts: number };
    await h.events.append(request.id, attempts, [{ seq: 1, kind: 'delta', data: { text: 'Half a' } }]);
    await h.ws('$connect', 'c-dead', { key: alpha });
    await h.connections.subscribe('c-dead', request.id);
    const live = { events: h.events, liveSinks: webSocketSinks(h.deps) };
    const delivery = new RecordingDelivery();
    expect(await settleDeadLetter(request, { turns: h.turns, delivery, live })).toBe('apologised');
    const last = (await h.events.after(request.id, 0)).at(-1);
    expect(last).toMatchObject({ seq: 2, kind: 'error', data: { final: true } });
    expect(frames('c-dead')).toMatchObject([{ type: 'event', seq: 2, kind: 'error', data: { final: true } }]);
    expect(await h.connections.subscribers(request.id)).toEqual([]);
  });
});
