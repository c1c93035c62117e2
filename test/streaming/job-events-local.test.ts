import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqlApiKeyRepository } from '#core/adapters/store/api-keys.ts';
import type { PgliteStore } from '#core/adapters/store/pglite.ts';
import { openMigratedPglite } from '#test/support/pglite.ts';
import { testStack } from '../local/support/stack.ts';
import { GatedModel } from './support/gated-model.ts';
import { sseEvents, type SseEvent } from './support/sse.ts';

let store: PgliteStore;
beforeAll(async () => {
  store = await openMigratedPglite();
});
afterAll(async () => store.close());

const ASKED = 'tell me about the tides, one word at a time';

type Frame = { seq: number; kind: string; data: { text?: string }; jobId: string };
const frame = (e: SseEvent) => JSON.parse(e.data) as Frame;

describe('GET /v1/jobs/{id}/events on the local stack', () => {
  it('streams the reply as it is written, and a resume with Last-Event-ID replays only what was missed', async () => {
    const model = new GatedModel(3);
    const t = await testStack({ store, model: () => model.resolved() });
    try {
      const { jobId } = (await (await t.send('ada', { text: ASKED })).json()) as { jobId: string };
      const url = `${t.stack.url}/v1/jobs/${jobId}/events`;
      const res = await fetch(url, { headers: t.headers });
      expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);

      const seen: SseEvent[] = [];
      const stream = sseEvents(res);
      await model.holding;
      // The model is holding mid-reply: what the stream shows now is only the start.
      for await (const e of stream) {
        seen.push(e);
        if (seen.filter((s) => s.event === 'delta').length === 3) break;
      }
      expect(seen[0]?.event).toBe('ready');
      expect((await t.job(jobId)).status).toBe('running');

      model.release();
      const rest: SseEvent[] = [];
      const more = sseEvents(
        await fetch(url, { headers: { ...t.headers, 'last-event-id': seen.at(-1)!.id! } }),
      );
      for await (const e of more) rest.push(e);

      const all = [...seen.slice(1), ...rest.slice(1)].map(frame);
      expect(all.map((f) => f.seq)).toEqual(all.map((_, i) => i + 1));
      expect(rest.slice(1).every((e) => Number(e.id) > Number(seen.at(-1)!.id))).toBe(true);
      const done = all.at(-1)!;
      expect(done.kind).toBe('done');
      expect(
        all
          .filter((f) => f.kind === 'delta')
          .map((f) => f.data.text)
          .join(''),
      ).toBe(`echo: ${ASKED}`);
      expect(done.data.text).toBe(`echo: ${ASKED}`);
      expect(((await t.finished(jobId)) as { reply: string }).reply).toBe(done.data.text);

      // Long-poll JSON for clients that cannot hold a stream: the same events, after a seq.
      const page = (await (await fetch(`${url}?after=2`, { headers: t.headers })).json()) as {
        events: Frame[];
        next: number;
        done: boolean;
      };
      expect(page.events.map((f) => f.seq)).toEqual(all.slice(2).map((f) => f.seq));
      expect(page).toMatchObject({ next: done.seq, done: true });
      const empty = await (await fetch(`${url}?after=${done.seq}&wait=0`, { headers: t.headers })).json();
      expect(empty).toMatchObject({ events: [expect.objectContaining({ kind: 'done' })], done: true });
    } finally {
      model.release();
      await t.stack.stop();
    }
  });

  it("keeps another key's job, a bad resume id and a missing key out", async () => {
    const t = await testStack({ store });
    try {
      const { jobId } = (await (await t.send('ada', { text: 'mine' })).json()) as { jobId: string };
      await t.stack.queue.idle();
      const { key } = await new SqlApiKeyRepository(store).create('other', ['messages']);
      const url = `${t.stack.url}/v1/jobs/${jobId}/events`;
      const other = await fetch(url, { headers: { authorization: `Bearer ${key}` } });
      expect(other.status).toBe(404);
      expect(await other.json()).toMatchObject({ error: { code: 'not_found' } });
      expect((await fetch(url)).status).toBe(401);
      const bad = await fetch(url, { headers: { ...t.headers, 'last-event-id': '1; drop table' } });
      expect(bad.status).toBe(400);
      expect(JSON.stringify(await bad.json())).toContain('Last-Event-ID');
      const badAfter = await fetch(`${url}?after=-1`, { headers: t.headers });
      expect(badAfter.status).toBe(400);
      // A finished job's stream replays everything and ends.
      const events: SseEvent[] = [];
      for await (const e of sseEvents(await fetch(url, { headers: t.headers }))) events.push(e);
      expect(events.at(-1)).toMatchObject({ event: 'done' });
    } finally {
      await t.stack.stop();
    }
  });
});
