import { describe, expect, it } from 'vitest';
import { SqlUsageRepository } from '#core/adapters/store/usage.ts';
import { processTurnRequest } from '#core/turns/process-turn.ts';
import { BudgetGate, worstCaseMicroUsd } from '#core/usage/budget-gate.ts';
import { budgetDefaults } from '#core/usage/budget-policy.ts';
import { InMemoryTurnRepository } from '#test/fakes/in-memory-turns.ts';
import { InMemoryUsageRepository } from '#test/fakes/in-memory-usage.ts';
import { useMigratedPglite } from '#test/support/pglite.ts';
import { PricedModel } from '../runner/support/priced-model.ts';
import { turnRequest } from '../runner/support/requests.ts';
import { testRunnerDeps } from '../runner/support/runner-deps.ts';

const store = useMigratedPglite();

// gpt-4.1-mini: 0.4 µ$ per input token, 1.6 per output token. Each call: 1,000 in + 200 out = 720 µ$.
const KNOWN = { inputTokens: 1000, outputTokens: 200 };
const TURN_COST = 720;
const CAP = 10_000; // $0.01
const defaults = budgetDefaults({
  CARRIER_BUDGET_CHARACTER_DAILY_USD: '0.01',
  // The worst case reserved per turn: 1,500 in + 200 out = 920 µ$, above what a turn really costs.
  CARRIER_BUDGET_RESERVE_INPUT_TOKENS: '1500',
  CARRIER_BUDGET_RESERVE_OUTPUT_TOKENS: '200',
});
const WORST = worstCaseMicroUsd({ provider: 'openai', name: 'gpt-4.1-mini' }, defaults.reserve);

describe.each(['in-memory', 'pglite'] as const)(
  'a $0.01 daily cap under 100 concurrent turns (%s ledger)',
  (ledger) => {
    it('never spends more than the cap plus one worst-case turn, and refused turns never reach the model', async () => {
      expect(WORST).toBe(920);
      const usage = ledger === 'pglite' ? new SqlUsageRepository(store()) : new InMemoryUsageRepository();
      const model = new PricedModel(KNOWN);
      const now = () => new Date('2030-01-01T12:00:00Z');
      const { runner, delivery } = testRunnerDeps(new InMemoryTurnRepository(), model, {
        budget: new BudgetGate({ usage, defaults, now }),
      });
      const requests = Array.from({ length: 100 }, (_, i) =>
        turnRequest({ user: { id: `user-${i % 9}`, name: 'Sam' }, text: `question ${i}` }),
      );

      const dispositions = await Promise.all(
        requests.map((r) => processTurnRequest(r, { receiveCount: 1 }, runner)),
      );

      expect(dispositions.every((d) => d === 'answered')).toBe(true);
      const [total] = await usage.summary({ by: 'total', from: '2030-01-01', to: '2030-01-01' });
      const refusals = delivery.sent.filter((s) => s.outcome.kind === 'reply' && s.outcome.ephemeral);
      // Every turn that was not refused called the model exactly once, and paid exactly its usage.
      expect(model.calls).toBe(total!.turns);
      expect(total).toMatchObject({
        refused: 100 - model.calls,
        inputTokens: model.calls * 1000,
        outputTokens: model.calls * 200,
        costMicroUsd: model.calls * TURN_COST,
        reservedMicroUsd: 0,
      });
      expect(refusals).toHaveLength(total!.refused);
      expect(refusals[0]?.outcome.text).toMatch(/talked enough for today/);
      expect(total!.costMicroUsd).toBeLessThanOrEqual(CAP + WORST);
      // The cap was really reached: at least as many turns ran as the worst case lets in.
      expect(model.calls).toBeGreaterThanOrEqual(Math.ceil(CAP / WORST));
      expect(total!.refused).toBeGreaterThan(0);
    });
  },
);
