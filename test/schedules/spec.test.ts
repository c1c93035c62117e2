import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCharacterFile } from '#core/characters/load.ts';
import { schedulerExpression } from '#core/schedules/expression.ts';
import { dueFiring } from '#core/schedules/timing.ts';

async function problems(schedules: unknown): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'carrier-spec-'));
  const file = join(dir, 'ada.json');
  await writeFile(file, JSON.stringify({ name: 'Ada', schedules }));
  return readCharacterFile(file).then(
    () => '',
    (error: Error) => error.message.replaceAll(`${file}: `, ''),
  );
}

describe('schedules in a character file', () => {
  it('names the file, the field and the fix for each mistake', async () => {
    expect(await problems([{ id: 'a', prompt: 'p' }])).toBe(
      'schedules[0].cron: give exactly one of "cron" (e.g. "0 9 * * *") and "rate" (e.g. "1 day")',
    );
    expect(await problems([{ id: 'a', rate: 'daily', prompt: 'p' }])).toBe(
      'schedules[0].rate: "daily" is not a rate; write e.g. "15 minutes", "1 hour" or "2 days"',
    );
    expect(await problems([{ id: 'a', cron: '0 9 * *', prompt: 'p' }])).toContain(
      'schedules[0].cron: "0 9 * *" is not a 5-field cron',
    );
    expect(await problems([{ id: 'a', cron: '0 9 1 * 1', prompt: 'p' }])).toContain(
      'EventBridge cannot combine a day of the month with a day of the week',
    );
    expect(await problems([{ id: 'a', rate: '1 day', timezone: 'Paris', prompt: 'p' }])).toBe(
      'schedules[0].timezone: unknown time zone "Paris"; use an IANA name like "Europe/Paris" or "UTC"',
    );
    expect(await problems([{ id: 'a', rate: '1 day', prompt: 'p', deliver: { discord: '#general' } }])).toBe(
      'schedules[0].deliver.discord: "#general" is not a Discord channel id (17-20 digits)',
    );
    expect(await problems([{ id: 'a', rate: '1 day', prompt: 'p', crom: 'x' }])).toContain(
      'schedules[0]: Unrecognized key: "crom"',
    );
    expect(
      await problems([
        { id: 'a', rate: '1 day', prompt: 'p' },
        { id: 'a', rate: '2 days', prompt: 'q' },
      ]),
    ).toBe('schedules[1].id: "a" is used twice; schedule ids are unique per character');
  });
});

describe('timings', () => {
  it('translate to EventBridge expressions', () => {
    expect(schedulerExpression({ kind: 'cron', expression: '0 9 * * *', timezone: 'UTC' }).expression).toBe(
      'cron(0 9 * * ? *)',
    );
    expect(
      schedulerExpression({ kind: 'cron', expression: '30 8 * * 0,6', timezone: 'UTC' }).expression,
    ).toBe('cron(30 8 ? * 1,7 *)');
    expect(schedulerExpression({ kind: 'cron', expression: '0 0 1 * *', timezone: 'UTC' }).expression).toBe(
      'cron(0 0 1 * ? *)',
    );
    expect(schedulerExpression({ kind: 'rate', every: 1, unit: 'hour' }).expression).toBe('rate(1 hour)');
    expect(schedulerExpression({ kind: 'rate', every: 15, unit: 'minute' }).expression).toBe(
      'rate(15 minutes)',
    );
  });

  it('fire a missed rate once, at its latest due time', () => {
    const last = new Date('2030-01-01T00:00:00Z');
    const rate = { kind: 'rate' as const, every: 1, unit: 'hour' as const };
    expect(dueFiring(rate, last, new Date('2030-01-01T00:59:59Z'))).toBeUndefined();
    expect(dueFiring(rate, last, new Date('2030-01-01T05:30:00Z'))).toEqual(new Date('2030-01-01T05:00:00Z'));
    const at = { kind: 'at' as const, at: '2030-01-01T00:02:00Z' };
    expect(dueFiring(at, last, new Date('2030-01-01T00:01:00Z'))).toBeUndefined();
    expect(dueFiring(at, last, new Date('2030-01-03T00:00:00Z'))).toEqual(new Date('2030-01-01T00:02:00Z'));
  });
});
