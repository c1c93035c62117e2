import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { schedulesApi } from '#core/api/routes/schedules.ts';
import { tableTrigger } from '#core/adapters/scheduler/table-trigger.ts';
import { characterSchedules } from '#core/schedules/spec.ts';
import { InMemoryScheduleRepository } from '#test/fakes/in-memory-schedules.ts';
import { apiHarness, authed } from './support/harness.ts';

let h: Awaited<ReturnType<typeof apiHarness>>;
let schedules: InMemoryScheduleRepository;
let key: string;
let other: string;
const now = new Date('2030-01-01T09:00:00Z');
beforeEach(async () => {
  schedules = new InMemoryScheduleRepository();
  h = await apiHarness({
    extraRoutes: [
      schedulesApi({ schedules, trigger: tableTrigger, characterIds: async () => ['ada'], now: () => now }),
    ],
  });
  key = (await h.keys.create('ci', ['schedules'])).key;
  other = (await h.keys.create('other', ['schedules'])).key;
});
afterEach(() => h.close());

const post = (body: unknown, as = key) =>
  h.app.request('/v1/agents/ada/schedules', authed(as, { method: 'POST', body: JSON.stringify(body) }));

describe('/v1/agents/{id}/schedules', () => {
  it('creates a recurring and a one-time schedule, lists them for their key only, and deletes one', async () => {
    const daily = await post({
      id: 'standup',
      cron: '0 9 * * 1-5',
      timezone: 'Europe/Paris',
      prompt: 'Ask what I plan today',
    });
    expect(daily.status).toBe(201);
    expect(((await daily.json()) as { schedule: unknown }).schedule).toMatchObject({
      id: 'standup',
      source: 'api',
      timing: { kind: 'cron', expression: '0 9 * * 1-5', timezone: 'Europe/Paris' },
      deliver: { kind: 'none' },
      lastFiredAt: null,
    });
    expect((await post({ id: 'once', at: '2030-01-02T10:00:00+01:00', prompt: 'Check in' })).status).toBe(
      201,
    );
    const stored = await schedules.list();
    expect(stored.map((s) => [s.id, s.user.id, s.conversation.startsWith('api:')]).sort()).toEqual([
      ['once', expect.stringMatching(/^api:/), true],
      ['standup', expect.stringMatching(/^api:/), true],
    ]);

    const list = async (as: string) =>
      (
        (await (await h.app.request('/v1/agents/ada/schedules', authed(as))).json()) as {
          schedules: Array<{ id: string }>;
        }
      ).schedules
        .map((s) => s.id)
        .sort();
    expect(await list(key)).toEqual(['once', 'standup']);
    expect(await list(other)).toEqual([]);

    const theirs = await h.app.request('/v1/agents/ada/schedules/once', authed(other, { method: 'DELETE' }));
    expect(theirs.status).toBe(404);
    const mine = await h.app.request('/v1/agents/ada/schedules/once', authed(key, { method: 'DELETE' }));
    expect(mine.status).toBe(200);
    expect(await list(key)).toEqual(['standup']);
  });

  it("shows the character file's schedules to every key", async () => {
    const [fromFile] = characterSchedules(
      'ada',
      [
        {
          id: 'digest',
          timing: { kind: 'rate', every: 1, unit: 'day' },
          prompt: 'Digest',
          deliver: { kind: 'none' },
        },
      ],
      now,
    );
    await schedules.put(fromFile!);
    const body = (await (await h.app.request('/v1/agents/ada/schedules', authed(other))).json()) as {
      schedules: Array<{ id: string; source: string }>;
    };
    expect(body.schedules).toEqual([expect.objectContaining({ id: 'digest', source: 'character' })]);
  });

  it('names each bad field: two timings, a bad cron, an unknown zone, a past time, a bad target', async () => {
    const problems = async (body: unknown) =>
      (
        (await (await post(body)).json()) as { error: { details?: Array<{ path: string; message: string }> } }
      ).error.details?.map((d) => `${d.path}: ${d.message}`);
    expect(await problems({ id: 'x', cron: '0 9 * * *', rate: '1 day', prompt: 'p' })).toEqual([
      'body.cron: give exactly one of "cron" (e.g. "0 9 * * *") and "rate" (e.g. "1 day")',
    ]);
    expect((await problems({ id: 'x', cron: '61 9 * * *', prompt: 'p' }))?.[0]).toMatch(
      /^body\.cron: "61 9 \* \* \*" is not a valid cron/,
    );
    expect(await problems({ id: 'x', rate: '1 day', timezone: 'Mars/Olympus', prompt: 'p' })).toEqual([
      'body.timezone: unknown time zone "Mars/Olympus"; use an IANA name like "Europe/Paris" or "UTC"',
    ]);
    expect(await problems({ id: 'x', at: '2029-01-01T00:00:00Z', prompt: 'p' })).toEqual([
      'body.at: in the past',
    ]);
    expect(await problems({ id: 'x', rate: '1 day', prompt: 'p', deliver: { webhook: 'ftp://x' } })).toEqual([
      'body.deliver.webhook: expected an http(s) URL',
    ]);
    expect(
      (await post({ id: 'x', rate: '1 day', prompt: 'p' }, (await h.keys.create('m', ['messages'])).key))
        .status,
    ).toBe(403);
  });

  it('refuses the 51st live schedule of a key with 409', async () => {
    for (let i = 0; i < 50; i++)
      expect((await post({ id: `s${i}`, rate: '1 day', prompt: 'p' })).status).toBe(201);
    const refused = await post({ id: 's50', rate: '1 day', prompt: 'p' });
    expect(refused.status).toBe(409);
    expect((await post({ id: 's0', rate: '2 days', prompt: 'changed' })).status).toBe(201);
  });
});
