import { beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '#core/adapters/store/open.ts';
import { SqlUsageRepository } from '#core/adapters/store/usage.ts';
import { createApiApp } from '#core/api/app.ts';
import { loadCharacter } from '#core/characters/load.ts';
import type { Principal } from '#core/ports/api-keys.ts';
import { processTurnRequest } from '#core/turns/process-turn.ts';
import { BudgetGate } from '#core/usage/budget-gate.ts';
import { budgetDefaults } from '#core/usage/budget-policy.ts';
import { apiDeps } from '#core/wiring/api.ts';
import { InMemoryTurnRepository } from '#test/fakes/in-memory-turns.ts';
import { runCommand, useMigratedDataDir } from '../cli/in-process.ts';
import { register as registerUsage } from '../../bin/commands/usage.ts';
import { PricedModel } from '../runner/support/priced-model.ts';
import { turnRequest } from '../runner/support/requests.ts';
import { testRunnerDeps } from '../runner/support/runner-deps.ts';

const dataDir = useMigratedDataDir('carrier-usage-');
const carrierUsage = (...args: string[]) => runCommand('usage', registerUsage, 'usage', ...args);

// What the scripted models report per call, and what that costs at the price table:
// ada, gpt-4.1-mini: 800 × 0.4 + 200 cached × 0.1 + 150 × 1.6 = 580 µ$
// juniper, gpt-4.1-nano: 2,000 × 0.1 + 500 × 0.4 = 400 µ$
// orbit, a model with no price: tokens counted, cost unknown
const ada = new PricedModel({ inputTokens: 1000, cachedInputTokens: 200, outputTokens: 150 }, 'gpt-4.1-mini');
const juniper = new PricedModel({ inputTokens: 2000, outputTokens: 500 }, 'gpt-4.1-nano');
const orbit = new PricedModel({ inputTokens: 300, outputTokens: 30 }, 'mystery-model');

beforeAll(async () => {
  // A mixed run: three characters, two users, one turn over its user's $0.001 cap.
  const store = await openStore({ CARRIER_DATA_DIR: dataDir() });
  const models = { ada, juniper, orbit } as Record<string, PricedModel>;
  const { runner } = testRunnerDeps(new InMemoryTurnRepository(), ada, {
    model: (c) => models[c.id]!.resolved(),
    character: (id) => loadCharacter(id),
    budget: new BudgetGate({
      usage: new SqlUsageRepository(store),
      defaults: budgetDefaults({ CARRIER_BUDGET_USER_DAILY_USD: '0.001' }),
      now: () => new Date('2030-01-01T10:00:00Z'),
    }),
  });
  const turns = [
    ['ada', 'u1'], // 580
    ['ada', 'u1'], // 1,160: u1 is over 1,000 µ$ now
    ['ada', 'u1'], // refused
    ['ada', 'u2'],
    ['juniper', 'u1'],
    ['juniper', 'u1'],
    ['orbit', 'u1'],
  ];
  for (const [character, user] of turns) {
    await processTurnRequest(
      turnRequest({ character, user: { id: `api:acme:${user!}`, name: 'Sam' } }),
      { receiveCount: 1 },
      runner,
    );
  }
  await store.close();
});
describe('carrier usage and GET /v1/usage after a mixed run', () => {
  it('prints the exact tokens and cost the scripted models reported, per character', async () => {
    expect([ada.calls, juniper.calls, orbit.calls]).toEqual([3, 2, 1]);
    const { stdout, exitCode } = await carrierUsage('--by', 'character');
    expect(exitCode).toBeUndefined();
    expect(stdout.trim().split('\n')).toEqual([
      'character\tturns\trefused\tinput\tcached\toutput\tcost (USD)\tunpriced',
      'ada\t3\t1\t3000\t600\t450\t0.001740\t0',
      'juniper\t2\t0\t4000\t0\t1000\t0.000800\t0',
      'orbit\t1\t0\t300\t0\t30\t0.000000\t1',
    ]);
  });

  it('agrees with GET /v1/usage, which needs the usage:read scope', async () => {
    const cli = JSON.parse((await carrierUsage('--by', 'character', '--json')).stdout) as { rows: unknown[] };
    const store = await openStore({ CARRIER_DATA_DIR: dataDir() });
    try {
      const scoped = (scopes: Principal['scopes'], tenant = 'acme') =>
        createApiApp(
          apiDeps({
            store,
            queue: { enqueue: async () => {} },
            characters: ['ada', 'juniper', 'orbit'],
            authenticate: async () => ({ keyId: 'k1', tenant, scopes }),
          }),
        );
      const headers = { authorization: 'Bearer test-key' };
      const res = await scoped(['usage:read']).request(
        '/v1/usage?by=character&from=2030-01-01&to=2030-01-01',
        {
          headers,
        },
      );
      expect(res.status).toBe(200);
      const api = (await res.json()) as { rows: Array<Record<string, unknown>> };
      expect(api.rows).toEqual(cli.rows);
      expect(api.rows[0]).toMatchObject({
        key: 'ada',
        costMicroUsd: 1740,
        costUsd: 0.00174,
        cachedInputTokens: 600,
      });

      // Tenant rules: users are the caller's own ids, and another tenant sees none of acme's turns.
      const byUser = (await (
        await scoped(['usage:read']).request('/v1/usage?by=user', { headers })
      ).json()) as {
        rows: Array<{ key: string }>;
      };
      expect(byUser.rows.map((r) => r.key)).toEqual(['u1', 'u2']);
      const other = await scoped(['usage:read'], 'globex').request('/v1/usage?by=character', { headers });
      expect(((await other.json()) as { rows: unknown[] }).rows).toEqual([]);

      const denied = await scoped(['messages']).request('/v1/usage', { headers });
      expect(denied.status).toBe(403);
      const bad = await scoped(['usage:read']).request('/v1/usage?by=week', { headers });
      expect(bad.status).toBe(400);
      expect(JSON.stringify(await bad.json())).toMatch(
        /by.*expected one of total, day, character, user, model/,
      );
    } finally {
      await store.close();
    }
  });

  it('names the bad option and its fix', async () => {
    const { stderr, exitCode } = await carrierUsage('--by', 'week', '--from', '2030-02-30');
    expect(exitCode).toBe(1);
    expect(stderr).toMatch(/--by: expected one of total, day, character, user, model/);
    expect(stderr).toMatch(/--from: expected a real calendar day/);
  });
});
