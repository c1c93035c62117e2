import { beforeEach, describe, expect, it } from 'vitest';
import { SqlTurnEventRepository } from '#core/adapters/store/turn-events.ts';
import { SqlTurnRepository } from '#core/adapters/store/turns.ts';
import type { TurnEventRepository } from '#core/ports/turn-events.ts';
import { TurnFencedError, type TurnRepository } from '#core/ports/turns.ts';
import { InMemoryTurnEvents } from '#test/fakes/in-memory-turn-events.ts';
import { InMemoryTurnRepository } from '#test/fakes/in-memory-turns.ts';
import { turnRequest } from '#test/runner/support/requests.ts';
import { SQL_ADAPTERS, useContractStores } from './support/contract-stores.ts';

const stores = useContractStores();

describe.each(['in-memory', ...SQL_ADAPTERS] as const)('turn events store contract: %s', (name) => {
  let turns: TurnRepository;
  let events: TurnEventRepository;
  beforeEach(async () => {
    if (name === 'in-memory') {
      const memory = new InMemoryTurnRepository();
      turns = memory;
      events = new InMemoryTurnEvents(memory);
      return;
    }
    await stores().reset();
    turns = new SqlTurnRepository(stores().adapters[name]);
    events = new SqlTurnEventRepository(stores().adapters[name]);
  });

  async function claimed(): Promise<string> {
    const request = turnRequest();
    await turns.claim(request, { leaseSeconds: 60 });
    return request.id;
  }

  it('appends a batch in one call and reads it back in seq order after a seq', async () => {
    const id = await claimed();
    expect(await events.lastSeq(id)).toBe(0);
    const written = await events.append(id, 1, [
      { seq: 2, kind: 'delta', data: { text: ' there' } },
      { seq: 1, kind: 'delta', data: { text: 'Hi' } },
      { seq: 3, kind: 'tool_start', data: { name: 'lookup' } },
    ]);
    expect(written).toBe(3);
    expect(await events.append(id, 1, [])).toBe(0);
    const all = await events.after(id, 0);
    expect(all.map((e) => [e.seq, e.kind, e.data, e.attempt])).toEqual([
      [1, 'delta', { text: 'Hi' }, 1],
      [2, 'delta', { text: ' there' }, 1],
      [3, 'tool_start', { name: 'lookup' }, 1],
    ]);
    expect(Number.isNaN(Date.parse(all[0]!.at))).toBe(false);
    expect((await events.after(id, 1, 1)).map((e) => e.seq)).toEqual([2]);
    expect(await events.lastSeq(id)).toBe(3);
  });

  it('keeps a seq stored once: a resent batch changes nothing', async () => {
    const id = await claimed();
    await events.append(id, 1, [{ seq: 1, kind: 'delta', data: { text: 'first' } }]);
    const again = await events.append(id, 1, [
      { seq: 1, kind: 'delta', data: { text: 'second' } },
      { seq: 2, kind: 'done', data: { text: 'first' } },
    ]);
    expect(again).toBe(1);
    expect((await events.after(id, 0)).map((e) => e.data.text)).toEqual(['first', 'first']);
  });

  it('refuses an attempt that a later claim took over, and a turn that does not exist', async () => {
    const request = turnRequest();
    await turns.claim(request, { leaseSeconds: 0 });
    await turns.claim(request, { leaseSeconds: 60 });
    await expect(
      events.append(request.id, 1, [{ seq: 1, kind: 'delta', data: { text: 'late' } }]),
    ).rejects.toBeInstanceOf(TurnFencedError);
    await expect(
      events.append('no-such-turn', 1, [{ seq: 1, kind: 'delta', data: {} }]),
    ).rejects.toBeInstanceOf(TurnFencedError);
    expect(await events.append(request.id, 2, [{ seq: 1, kind: 'delta', data: { text: 'ok' } }])).toBe(1);
    expect((await events.after(request.id, 0))[0]).toMatchObject({ attempt: 2, data: { text: 'ok' } });
  });

  it('never mixes two turns, and keeps a malicious string as data', async () => {
    const a = await claimed();
    const b = await claimed();
    const nasty = "'); drop table turn_events; -- <script>";
    await events.append(a, 1, [{ seq: 1, kind: 'delta', data: { text: nasty } }]);
    expect(await events.after(b, 0)).toEqual([]);
    expect((await events.after(a, 0))[0]?.data.text).toBe(nasty);
  });
});
