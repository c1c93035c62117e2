import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LocalTurnQueue } from '#core/adapters/queue/local-queue.ts';
import { runTimersUntil } from '#test/support/fake-timers.ts';

// Visibility and invocation timeouts run out in fake time; the handlers wait on nothing else.
beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

/** Runs the queue's timers until it has nothing waiting or in flight. */
async function drained(queue: LocalTurnQueue): Promise<void> {
  await runTimersUntil(queue.idle());
}

type Seen = { body: string; group: string; receiveCount: number };

function recorder(decide: (record: SQSRecord, seen: Seen[]) => 'ok' | 'fail' = () => 'ok') {
  const seen: Seen[] = [];
  const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const failures: SQSBatchResponse['batchItemFailures'] = [];
    for (const record of event.Records) {
      seen.push({
        body: record.body,
        group: record.attributes.MessageGroupId!,
        receiveCount: Number(record.attributes.ApproximateReceiveCount),
      });
      await new Promise((r) => setTimeout(r, 1));
      if (decide(record, seen) === 'fail') failures.push({ itemIdentifier: record.messageId });
    }
    return { batchItemFailures: failures };
  };
  return { seen, handler };
}

describe('LocalTurnQueue', () => {
  it('keeps order within each group and hands batches to the handler', async () => {
    const queue = new LocalTurnQueue({ batchSize: 3, concurrency: 2 });
    const { seen, handler } = recorder();
    for (let i = 0; i < 5; i++) {
      queue.send(`a${i}`, 'A', `a${i}`);
      queue.send(`b${i}`, 'B', `b${i}`);
    }
    queue.start(handler);
    await drained(queue);
    expect(seen.filter((s) => s.group === 'A').map((s) => s.body)).toEqual(['a0', 'a1', 'a2', 'a3', 'a4']);
    expect(seen.filter((s) => s.group === 'B').map((s) => s.body)).toEqual(['b0', 'b1', 'b2', 'b3', 'b4']);
  });

  it('drops a second message with the same deduplication id', async () => {
    const queue = new LocalTurnQueue();
    const { seen, handler } = recorder();
    queue.send('first', 'A', 'same');
    queue.send('second', 'A', 'same');
    queue.start(handler);
    await drained(queue);
    expect(seen.map((s) => s.body)).toEqual(['first']);
  });

  it('redelivers only the failed record after its visibility timeout and holds its group meanwhile', async () => {
    const queue = new LocalTurnQueue({ visibilityTimeoutMs: 30 });
    const { seen, handler } = recorder((record) =>
      record.body === 'a0' && record.attributes.ApproximateReceiveCount === '1' ? 'fail' : 'ok',
    );
    queue.send('a0', 'A', 'a0');
    queue.send('b0', 'B', 'b0');
    queue.start(handler);
    await vi.advanceTimersByTimeAsync(5);
    queue.send('a1', 'A', 'a1');
    await drained(queue);
    const a = seen.filter((s) => s.group === 'A').map((s) => `${s.body}#${s.receiveCount}`);
    expect(a).toEqual(['a0#1', 'a0#2', 'a1#1']);
    expect(seen.filter((s) => s.body === 'b0')).toHaveLength(1);
  });

  it('moves a message that keeps failing to the dead letters after maxReceiveCount receives', async () => {
    const dead: string[] = [];
    const queue = new LocalTurnQueue({
      batchSize: 1,
      visibilityTimeoutMs: 5,
      maxReceiveCount: 3,
      onDeadLetter: (m) => dead.push(m.body),
    });
    const { seen, handler } = recorder((record) => (record.body === 'poison' ? 'fail' : 'ok'));
    queue.send('poison', 'A', 'p');
    queue.send('after', 'A', 'q');
    queue.start(handler);
    await drained(queue);
    expect(seen.map((s) => `${s.body}#${s.receiveCount}`)).toEqual([
      'poison#1',
      'poison#2',
      'poison#3',
      'after#1',
    ]);
    expect(dead).toEqual(['poison']);
    expect(queue.deadLetters()).toHaveLength(1);
  });

  it('treats a thrown or timed-out invocation as a failure of its whole batch', async () => {
    const queue = new LocalTurnQueue({ visibilityTimeoutMs: 10, invocationTimeoutMs: 20 });
    let calls = 0;
    const delivered: string[] = [];
    queue.send('x', 'A', 'x');
    queue.send('y', 'B', 'y');
    queue.start(async (event) => {
      calls++;
      if (calls === 1) throw new Error('crash');
      if (calls === 2) return new Promise<never>(() => undefined);
      delivered.push(...event.Records.map((r) => r.body));
    });
    await drained(queue);
    expect(delivered.sort()).toEqual(['x', 'y']);
    expect(calls).toBe(3);
  });

  it('stops taking batches after stop()', async () => {
    const queue = new LocalTurnQueue();
    const { seen, handler } = recorder();
    queue.start(handler);
    await queue.stop();
    queue.send('late', 'A', 'late');
    await vi.advanceTimersByTimeAsync(20);
    expect(seen).toEqual([]);
    expect(queue.stats()).toEqual({ waiting: 1, inFlight: 0, deadLetters: 0 });
  });
});
