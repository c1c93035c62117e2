import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadCharacter } from '#core/characters/load.ts';
import type { Character } from '#core/characters/schema.ts';
import { startLocalScheduler } from '#core/local/schedules.ts';
import type { TurnRequest } from '#core/ports/turn-request.ts';
import { scheduleSpecsSchema } from '#core/schedules/spec.ts';
import { emptyTables, useMigratedPglite } from '#test/support/pglite.ts';

const store = useMigratedPglite();
const CHANNEL = '123456789012345678';

let ada: Character;
beforeEach(async () => {
  // Only the clock is fake: PGlite and the queue run on real timers.
  vi.useFakeTimers({ toFake: ['Date'] });
  await emptyTables(store());
  ada = {
    ...(await loadCharacter('ada')),
    // 09:00 in Paris is 08:00 UTC in January.
    schedules: scheduleSpecsSchema.parse([
      {
        id: 'morning',
        cron: '0 9 * * *',
        timezone: 'Europe/Paris',
        prompt: 'Say good morning',
        deliver: { discord: CHANNEL },
      },
    ]),
  };
});
afterEach(() => vi.useRealTimers());

function recordingQueue() {
  const sent: TurnRequest[] = [];
  return {
    sent,
    enqueue: async (request: TurnRequest) => {
      sent.push(request);
      return undefined;
    },
  };
}

const start = (queue: ReturnType<typeof recordingQueue>, characters = [ada]) =>
  startLocalScheduler({ store: store(), queue, characters, everyMs: 3_600_000 });

describe('the local scheduler', () => {
  it('fires a daily schedule once per day, and once for all the days missed while stopped', async () => {
    const queue = recordingQueue();
    vi.setSystemTime(new Date('2030-01-01T06:00:00Z'));
    let scheduler = await start(queue);
    expect(queue.sent).toEqual([]);

    vi.setSystemTime(new Date('2030-01-01T08:00:30Z'));
    await scheduler.tick();
    await scheduler.tick();
    vi.setSystemTime(new Date('2030-01-01T12:00:00Z'));
    await scheduler.tick();
    await scheduler.stop();

    // Down for three days: the restart runs the latest missed firing, once.
    vi.setSystemTime(new Date('2030-01-04T10:00:00Z'));
    scheduler = await start(queue);
    await scheduler.tick();
    await scheduler.stop();
    scheduler = await start(queue);
    await scheduler.stop();

    vi.setSystemTime(new Date('2030-01-05T08:00:00Z'));
    scheduler = await start(queue);
    await scheduler.stop();

    expect(queue.sent.map((r) => r.id)).toEqual([
      'sched:c.ada.morning:2030-01-01T08:00:00Z',
      'sched:c.ada.morning:2030-01-04T08:00:00Z',
      'sched:c.ada.morning:2030-01-05T08:00:00Z',
    ]);
    expect(queue.sent[0]).toMatchObject({
      character: 'ada',
      conversation: CHANNEL,
      text: 'Say good morning',
      source: 'schedule',
      reply: { kind: 'discord-channel', channelId: CHANNEL },
      receivedAt: '2030-01-01T08:00:00Z',
    });
  });

  it('drops the schedules a character file no longer has, and never fires them', async () => {
    const queue = recordingQueue();
    vi.setSystemTime(new Date('2030-01-01T06:00:00Z'));
    const first = await start(queue);
    await first.stop();
    const second = await start(queue, [{ ...ada, schedules: [] }]);
    vi.setSystemTime(new Date('2030-01-02T06:00:00Z'));
    await second.tick();
    await second.stop();
    expect(queue.sent).toEqual([]);
    expect(await second.schedules.list()).toEqual([]);
  });

  it('keeps firing the others when the queue refuses one, and retries it on the next tick', async () => {
    vi.setSystemTime(new Date('2030-01-01T06:00:00Z'));
    const sent: string[] = [];
    let refuse = true;
    const queue = {
      sent: [] as TurnRequest[],
      enqueue: async (request: TurnRequest) => {
        if (refuse) throw new Error('queue down');
        sent.push(request.id);
        return undefined;
      },
    };
    const scheduler = await start(queue);
    vi.setSystemTime(new Date('2030-01-01T08:01:00Z'));
    expect(await scheduler.tick()).toEqual([]);
    refuse = false;
    expect((await scheduler.tick()).map((s) => s.key)).toEqual(['c.ada.morning']);
    await scheduler.stop();
    expect(sent).toEqual(['sched:c.ada.morning:2030-01-01T08:00:00Z']);
  });
});
