import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { NewTurnEvent } from '#core/ports/turn-events.ts';
import { TurnEventRecorder } from '#core/turns/event-recorder.ts';
import { processTurnRequest, type RunnerDeps } from '#core/turns/process-turn.ts';
import { InMemoryTurnEvents } from '#test/fakes/in-memory-turn-events.ts';
import { InMemoryTurnRepository } from '#test/fakes/in-memory-turns.ts';
import { EchoModel, httpError } from './support/echo-model.ts';
import { turnRequest } from './support/requests.ts';
import { testRunnerDeps } from './support/runner-deps.ts';

let turns: InMemoryTurnRepository;
let events: InMemoryTurnEvents;
beforeEach(() => {
  turns = new InMemoryTurnRepository();
  events = new InMemoryTurnEvents(turns);
});

const deps = (model: EchoModel, extra: Partial<RunnerDeps> = {}) =>
  testRunnerDeps(turns, model, { live: { events }, ...extra });

const texts = (list: { kind: string; data: Record<string, unknown> }[]) =>
  list.filter((e) => e.kind === 'delta').map((e) => e.data.text as string);

describe('a streamed turn', () => {
  it('records its deltas in order and one done whose text is the reply, in one write', async () => {
    const seen: NewTurnEvent[] = [];
    let lastSeqReads = 0;
    const lastSeq = events.lastSeq.bind(events);
    events.lastSeq = (id) => (lastSeqReads++, lastSeq(id));
    const { runner } = deps(new EchoModel(), {
      live: { events, liveSinks: () => [{ event: (e) => seen.push(e), close: async () => {} }] },
    });
    const request = turnRequest({ text: 'tell me about the sea and the sky' });
    await processTurnRequest(request, { receiveCount: 1 }, runner);

    const stored = await events.after(request.id, 0);
    expect(stored.map((e) => e.seq)).toEqual(stored.map((_, i) => i + 1));
    expect(texts(stored).join('')).toBe('echo: tell me about the sea and the sky');
    expect(texts(stored).length).toBeGreaterThan(5);
    expect(stored.filter((e) => e.kind === 'done')).toEqual([
      expect.objectContaining({ data: { text: 'echo: tell me about the sea and the sky' } }),
    ]);
    expect(stored.at(-1)?.kind).toBe('done');
    // The sinks saw the same numbered events, live.
    expect(seen.map((e) => e.seq)).toEqual(stored.map((e) => e.seq));
    // A zero-latency model is done within the first flush interval: one write, and no read of
    // the last seq on a first attempt.
    expect(events.appends).toBe(1);
    expect(lastSeqReads).toBe(0);
  });

  it('tells readers a failed attempt is retried, then numbers the retry after it', async () => {
    const model = new EchoModel((call) => {
      if (call === 1) throw httpError(503);
    });
    const { runner } = deps(model);
    const request = turnRequest({ text: 'again' });
    await expect(processTurnRequest(request, { receiveCount: 1 }, runner)).rejects.toThrow();
    await processTurnRequest(request, { receiveCount: 2 }, runner);

    const stored = await events.after(request.id, 0);
    expect(stored[0]).toMatchObject({ seq: 1, attempt: 1, kind: 'error', data: { final: false } });
    expect(stored.slice(1).every((e) => e.attempt === 2)).toBe(true);
    expect(texts(stored).join('')).toBe('echo: again');
    expect(stored.at(-1)).toMatchObject({ kind: 'done', data: { text: 'echo: again' } });
  });

  it('ends with a final error on the last attempt, with no internal reason in it', async () => {
    const { runner } = deps(
      new EchoModel(() => {
        throw httpError(500, 'secret internal detail');
      }),
    );
    const request = turnRequest();
    await processTurnRequest(request, { receiveCount: 3 }, runner);
    const stored = await events.after(request.id, 0);
    expect(stored).toEqual([
      expect.objectContaining({ kind: 'error', data: { message: 'the turn failed', final: true } }),
    ]);
  });
});

describe('TurnEventRecorder', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('writes a 50-tokens-a-second stream at most four times a second, plus the end', async () => {
    const request = turnRequest();
    await turns.claim(request, { leaseSeconds: 60 });
    const recorder = await TurnEventRecorder.open(events, request.id, 1);
    for (let i = 0; i < 150; i++) {
      recorder.emit('delta', { text: `w${i} ` });
      await vi.advanceTimersByTimeAsync(20);
    }
    recorder.emit('tool_start', { name: 'lookup' });
    recorder.emit('done', { text: 'all' });
    await recorder.close();

    expect((await events.after(request.id, 0, 1000)).length).toBe(152);
    // 3 simulated seconds: ≤ 12 interval writes, + the first event, + the tool event and the end.
    expect(recorder.writes).toBeLessThanOrEqual(3 * 4 + 3);
    expect(recorder.writes).toBe(events.appends);
  });

  it('stops recording once a later attempt holds the turn, without failing', async () => {
    const request = turnRequest();
    await turns.claim(request, { leaseSeconds: 0 });
    const recorder = await TurnEventRecorder.open(events, request.id, 1);
    await turns.claim(request, { leaseSeconds: 60 });
    recorder.emit('delta', { text: 'late' });
    recorder.emit('done', { text: 'late' });
    await expect(recorder.close()).resolves.toBeUndefined();
    expect(await events.after(request.id, 0)).toEqual([]);
  });

  it('retries a failed write with the next batch', async () => {
    const request = turnRequest();
    await turns.claim(request, { leaseSeconds: 60 });
    let fail = true;
    const flaky = {
      lastSeq: (id: string) => events.lastSeq(id),
      after: (id: string, after: number) => events.after(id, after),
      append: async (...args: Parameters<InMemoryTurnEvents['append']>) => {
        if (fail) {
          fail = false;
          throw new Error('connection reset');
        }
        return events.append(...args);
      },
    };
    const recorder = await TurnEventRecorder.open(flaky, request.id, 1);
    recorder.emit('delta', { text: 'a' });
    recorder.emit('done', { text: 'a' });
    await recorder.close();
    expect((await events.after(request.id, 0)).map((e) => e.kind)).toEqual(['delta', 'done']);
  });
});
