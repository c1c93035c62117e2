import { beforeEach, describe, expect, it } from 'vitest';
import { SqlUsageRepository } from '#core/adapters/store/usage.ts';
import type { Reservation, UsageRepository } from '#core/ports/usage.ts';
import { InMemoryUsageRepository } from '#test/fakes/in-memory-usage.ts';
import { SQL_ADAPTERS, useContractStores } from './support/contract-stores.ts';

const stores = useContractStores();

const DAY = '2030-01-01';
const reservation = (turnId: string, extra: Partial<Reservation> = {}): Reservation => ({
  turnId,
  agentId: 'ada',
  userId: 'u1',
  day: DAY,
  provider: 'openai',
  model: 'gpt-4.1-mini',
  reserveMicroUsd: 400,
  ...extra,
});
const settled = (costMicroUsd: number | null) => ({
  requests: 1,
  inputTokens: 1000,
  cachedInputTokens: 200,
  outputTokens: 50,
  costMicroUsd,
  priceVersion: 'v1',
});

describe.each(['in-memory', ...SQL_ADAPTERS] as const)('usage store contract: %s', (name) => {
  let usage: UsageRepository;
  beforeEach(async () => {
    if (name === 'in-memory') {
      usage = new InMemoryUsageRepository();
      return;
    }
    await stores().reset();
    usage = new SqlUsageRepository(stores().adapters[name]);
  });

  it('admits turns while the character is under its cap, then refuses, and a retry gets its first outcome', async () => {
    const capped = { agentCapMicroUsd: 1000 };
    expect(await usage.reserve(reservation('t1', capped))).toEqual({
      outcome: 'reserved',
      provider: 'openai',
      model: 'gpt-4.1-mini',
      reservedMicroUsd: 400,
    });
    await usage.reserve(reservation('t2', capped));
    // 800 committed < 1000: one more is admitted, and it may take the day to 1200 (cap + one turn).
    expect((await usage.reserve(reservation('t3', capped))).outcome).toBe('reserved');
    expect(await usage.reserve(reservation('t4', { ...capped, userId: 'u2' }))).toMatchObject({
      outcome: 'refused',
      overCap: 'character',
      reservedMicroUsd: 0,
    });
    expect((await usage.reserve(reservation('t1', capped))).outcome).toBe('reserved');
    expect((await usage.reserve(reservation('t4', capped))).outcome).toBe('refused');
    // Another day is a new budget.
    expect((await usage.reserve(reservation('t5', { ...capped, day: '2030-01-02' }))).outcome).toBe(
      'reserved',
    );
  });

  it('counts a user against the user cap only with this character, and switches to the fallback model over it', async () => {
    const capped = {
      userCapMicroUsd: 400,
      fallback: { provider: 'openai', model: 'gpt-4.1-nano', reserveMicroUsd: 100 },
    };
    await usage.reserve(reservation('t1', capped));
    expect(await usage.reserve(reservation('t2', capped))).toEqual({
      outcome: 'fallback',
      overCap: 'user',
      provider: 'openai',
      model: 'gpt-4.1-nano',
      reservedMicroUsd: 100,
    });
    expect((await usage.reserve(reservation('t3', { ...capped, agentId: 'juniper' }))).outcome).toBe(
      'reserved',
    );
    expect((await usage.reserve(reservation('t4', { ...capped, userId: 'u2' }))).outcome).toBe('reserved');
  });

  it('settles the real cost in place of the reservation, once; an unpriced model keeps its reservation counted', async () => {
    const capped = { agentCapMicroUsd: 1000, reserveMicroUsd: 900 };
    await usage.reserve(reservation('t1', capped));
    await usage.settle('t1', settled(100));
    await usage.settle('t1', settled(5000));
    expect((await usage.reserve(reservation('t2', capped))).outcome).toBe('reserved');
    await usage.settle('t2', settled(null));
    // 100 + 900 (unpriced, reservation kept) = 1000: the cap is reached.
    expect((await usage.reserve(reservation('t3', capped))).outcome).toBe('refused');
    expect(await usage.summary({ by: 'total' })).toEqual([
      {
        key: 'total',
        turns: 2,
        refused: 1,
        requests: 2,
        inputTokens: 2000,
        cachedInputTokens: 400,
        outputTokens: 100,
        costMicroUsd: 100,
        unpriced: 1,
        reservedMicroUsd: 0,
      },
    ]);
  });

  it('sums by day, character, user and model within the filters', async () => {
    await usage.reserve(reservation('a1'));
    await usage.settle('a1', settled(10));
    await usage.reserve(reservation('a2', { userId: 'api:acme:9', day: '2030-01-02' }));
    await usage.settle('a2', settled(20));
    await usage.reserve(reservation('j1', { agentId: 'juniper', model: 'gpt-4.1-nano' }));
    const cost = (rows: Array<{ key: string; costMicroUsd: number }>) =>
      rows.map((r) => [r.key, r.costMicroUsd]);
    expect(cost(await usage.summary({ by: 'character' }))).toEqual([
      ['ada', 30],
      ['juniper', 0],
    ]);
    expect(cost(await usage.summary({ by: 'day', agentId: 'ada' }))).toEqual([
      ['2030-01-01', 10],
      ['2030-01-02', 20],
    ]);
    expect(cost(await usage.summary({ by: 'user', userPrefix: 'api:acme:' }))).toEqual([['api:acme:9', 20]]);
    expect(cost(await usage.summary({ by: 'model', from: '2030-01-01', to: '2030-01-01' }))).toEqual([
      ['openai/gpt-4.1-mini', 10],
      ['openai/gpt-4.1-nano', 0],
    ]);
    expect((await usage.summary({ by: 'total', agentId: 'juniper' }))[0]).toMatchObject({
      turns: 1,
      reservedMicroUsd: 400,
    });
    expect(await usage.summary({ by: 'total', userId: 'nobody' })).toEqual([]);
  });

  it('never lets 100 racing reservations past the cap by more than one turn', async () => {
    const outcomes = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        usage.reserve(
          reservation(`race-${i}`, { userId: `u${i % 7}`, agentCapMicroUsd: 10_000, reserveMicroUsd: 300 }),
        ),
      ),
    );
    const admitted = outcomes.filter((o) => o.outcome === 'reserved').length;
    // Admitted while under 10,000: 34 turns (33 × 300 = 9,900 < 10,000), then refused.
    expect(admitted).toBe(34);
    const [total] = await usage.summary({ by: 'total' });
    expect(total).toMatchObject({ turns: 34, refused: 66, reservedMicroUsd: 34 * 300 });
  });
});
