import { beforeEach, describe, expect, it } from 'vitest';
import { SqlScheduleRepository } from '#core/adapters/store/schedules.ts';
import type { NewSchedule, ScheduleRepository } from '#core/schedules/schedule-repository.ts';
import { InMemoryScheduleRepository } from '#test/fakes/in-memory-schedules.ts';
import { SQL_ADAPTERS, useContractStores } from './support/contract-stores.ts';

const stores = useContractStores();
const t0 = new Date('2030-01-01T09:00:00Z');
const later = (minutes: number) => new Date(+t0 + minutes * 60_000);

const followup = (key: string, over: Partial<NewSchedule> = {}): NewSchedule => ({
  key,
  agentId: 'ada',
  id: key,
  source: 'followup',
  owner: 'u1',
  timing: { kind: 'at', at: later(2).toISOString() },
  prompt: 'stretch',
  conversation: 'c1',
  user: { id: 'u1', name: 'Sam' },
  deliver: { kind: 'discord', channelId: '123456789012345678' },
  createdAt: t0,
  ...over,
});

describe.each(['in-memory', ...SQL_ADAPTERS] as const)('schedules store contract: %s', (name) => {
  let schedules: ScheduleRepository;
  beforeEach(async () => {
    if (name === 'in-memory') {
      schedules = new InMemoryScheduleRepository();
      return;
    }
    await stores().reset();
    schedules = new SqlScheduleRepository(stores().adapters[name]);
  });

  it('stores a schedule as given and reads it back by key', async () => {
    const put = await schedules.put(followup('f1'));
    expect(put).toEqual({ ...followup('f1'), lastFiredAt: null });
    expect(await schedules.get('f1')).toEqual(put);
    expect(await schedules.get('missing')).toBeUndefined();
  });

  it('records a firing once, refuses an earlier or equal one, and keeps it across a replace', async () => {
    await schedules.put(followup('f1'));
    expect(await schedules.markFired('f1', later(2))).toBe(true);
    expect(await schedules.markFired('f1', later(2))).toBe(false);
    expect(await schedules.markFired('f1', later(1))).toBe(false);
    expect(await schedules.markFired('missing', later(1))).toBe(false);
    await schedules.put(followup('f1', { prompt: 'drink water' }));
    expect(await schedules.get('f1')).toMatchObject({ prompt: 'drink water', lastFiredAt: later(2) });
  });

  it('refuses a schedule past the bound of live ones, not counting one-time schedules that fired', async () => {
    expect(await schedules.put(followup('f1'), { limit: 2 })).toBeDefined();
    expect(await schedules.put(followup('f2'), { limit: 2 })).toBeDefined();
    expect(await schedules.put(followup('f3'), { limit: 2 })).toBeUndefined();
    // Another user, and a replace of an existing key, are not held back.
    expect(await schedules.put(followup('g1', { owner: 'u2' }), { limit: 2 })).toBeDefined();
    expect(await schedules.put(followup('f2', { prompt: 'again' }), { limit: 2 })).toBeDefined();
    await schedules.markFired('f1', later(2));
    expect(await schedules.put(followup('f3'), { limit: 2 })).toBeDefined();
  });

  it('lists by agent, owner and source, oldest first, and deletes only what the owner owns', async () => {
    await schedules.put(followup('b', { createdAt: later(1) }));
    await schedules.put(followup('a', { createdAt: later(2), source: 'api', owner: 'api-key:k1' }));
    await schedules.put(followup('c', { agentId: 'orbit', createdAt: later(0) }));
    expect((await schedules.list()).map((s) => s.key)).toEqual(['c', 'b', 'a']);
    expect((await schedules.list({ agentId: 'ada' })).map((s) => s.key)).toEqual(['b', 'a']);
    expect((await schedules.list({ owner: 'api-key:k1' })).map((s) => s.key)).toEqual(['a']);
    expect((await schedules.list({ source: 'followup', agentId: 'ada' })).map((s) => s.key)).toEqual(['b']);
    expect(await schedules.delete('a', 'api-key:other')).toBeUndefined();
    expect((await schedules.delete('a', 'api-key:k1'))?.key).toBe('a');
    expect(await schedules.get('a')).toBeUndefined();
  });

  it("prunes the character file's schedules that the file no longer has", async () => {
    const fromFile = (key: string) => followup(key, { source: 'character', owner: null });
    await schedules.put(fromFile('c.ada.morning'));
    await schedules.put(fromFile('c.ada.evening'));
    await schedules.put(followup('f1'));
    expect(await schedules.pruneCharacter('ada', ['c.ada.morning'])).toEqual(['c.ada.evening']);
    expect((await schedules.list()).map((s) => s.key).sort()).toEqual(['c.ada.morning', 'f1']);
  });
});
