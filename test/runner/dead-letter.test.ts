import { beforeEach, describe, expect, it } from 'vitest';
import { settleDeadLetter } from '#core/turns/dead-letter.ts';
import { STALE_REASON, sweepStaleTurns } from '#core/turns/sweep-stale.ts';
import { RecordingDelivery } from './support/recording-delivery.ts';
import { turnRequest } from './support/requests.ts';
import { InMemoryTurnRepository } from '#test/fakes/in-memory-turns.ts';

// The dead-letter consumer over the in-memory turns; test/store/turns-contract.test.ts holds
// giveUp and claimApology to the SQL functions.
let clock = Date.parse('2030-01-01T00:00:00Z');
const shared = { turns: new InMemoryTurnRepository({ now: () => new Date(clock) }) };
beforeEach(() => {
  shared.turns = new InMemoryTurnRepository({ now: () => new Date(clock) });
});

function settle(request: ReturnType<typeof turnRequest>, delivery = new RecordingDelivery()) {
  return { delivery, run: () => settleDeadLetter(request, { turns: shared.turns, delivery }) };
}

describe('settling a dead letter', () => {
  it('waits for a turn a runner still holds, then fails it and apologises once', async () => {
    const request = turnRequest();
    await shared.turns.claim(request, { leaseSeconds: 60 });
    const { delivery, run } = settle(request);
    await expect(run()).rejects.toThrow(/being answered by another runner/);
    expect(delivery.sent).toEqual([]);

    clock += 61_000; // the runner's lease is over
    expect(await run()).toBe('apologised');
    expect(await run()).toBe('already_settled');
    expect(delivery.count(request.id)).toBe(1);
    expect(delivery.sent[0]?.outcome).toMatchObject({ kind: 'apology', code: 'gave_up' });
  });

  it('apologises for a turn the stale sweep failed, with its code, and not for one the runner apologised for', async () => {
    const stale = turnRequest();
    await shared.turns.claim(stale, { leaseSeconds: 0 });
    await sweepStaleTurns(shared.turns, 1);
    const first = settle(stale);
    expect(await first.run()).toBe('apologised');
    expect(first.delivery.sent[0]?.outcome).toMatchObject({ code: 'timed_out', reason: STALE_REASON });

    const apologised = turnRequest();
    const { attempts } = (await shared.turns.claim(apologised, { leaseSeconds: 60 })) as { attempts: number };
    await shared.turns.fail(
      apologised.id,
      attempts,
      { error: 'model down', code: 'agent_failed' },
      { status: 'pending' },
    );
    await shared.turns.recordDelivery(apologised.id, attempts, { status: 'delivered', messages: 1 });
    const second = settle(apologised);
    expect(await second.run()).toBe('already_settled');
    expect(second.delivery.sent).toEqual([]);
  });

  it('sends the apology an attempt died before recording, and fails a turn that never got a row', async () => {
    const died = turnRequest();
    const { attempts } = (await shared.turns.claim(died, { leaseSeconds: 60 })) as { attempts: number };
    await shared.turns.fail(
      died.id,
      attempts,
      { error: 'model down', code: 'agent_failed' },
      { status: 'pending' },
    );
    expect(await settle(died).run()).toBe('apologised');

    const unseen = turnRequest();
    expect(await settle(unseen).run()).toBe('apologised');
    expect(await shared.turns.get(unseen.id)).toMatchObject({
      status: 'failed',
      error_code: 'gave_up',
      delivery: { status: 'delivered' },
    });
  });

  it('delivers a stored reply once more, and finishes it with the reason when that fails too', async () => {
    const request = turnRequest();
    const { attempts } = (await shared.turns.claim(request, { leaseSeconds: 60 })) as { attempts: number };
    const reply = { reply: 'hello', model: { provider: 'offline', name: 'x' }, notices: [], toolCalls: 0 };
    await shared.turns.answer(request.id, attempts, reply);
    const delivery = new RecordingDelivery();
    delivery.next = async () => {
      throw new Error('Discord 503');
    };
    expect(await settle(request, delivery).run()).toBe('undeliverable');
    expect(await shared.turns.get(request.id)).toMatchObject({
      status: 'done',
      delivery: { status: 'undeliverable', reason: expect.stringContaining('Discord 503') },
    });
  });
});
