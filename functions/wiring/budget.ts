import { SqlUsageRepository } from '../adapters/store/usage.ts';
import type { SqlStore } from '../ports/sql.ts';
import { BudgetGate } from '../usage/budget-gate.ts';
import { budgetDefaults } from '../usage/budget-policy.ts';

/**
 * The daily budgets over the usage ledger in `store`, as CARRIER_BUDGET_* set them: the runner
 * and `carrier chat` count every turn through one, so a chat spends under the same caps and
 * shows in `carrier usage` like any turn.
 *
 * @example
 * const budget = budgetGate(store, settings.env);
 */
export function budgetGate(
  store: SqlStore,
  env: Readonly<Record<string, string | undefined>>,
  now?: () => Date,
): BudgetGate {
  return new BudgetGate({
    usage: new SqlUsageRepository(store),
    defaults: budgetDefaults(env),
    ...(now ? { now } : {}),
  });
}
