import type { EnvironmentConfig } from './environment.ts';

/**
 * The environment file's `budgets` as the runner reads them (functions/usage/budget-policy.ts).
 *
 * @example
 * budgetEnvironment({ timeZone: 'Europe/Paris', characterDailyUsd: 5 });
 * // { CARRIER_BUDGET_TIME_ZONE: 'Europe/Paris', CARRIER_BUDGET_CHARACTER_DAILY_USD: '5' }
 */
export function budgetEnvironment(budgets: EnvironmentConfig['budgets']): Record<string, string> {
  return {
    CARRIER_BUDGET_TIME_ZONE: budgets.timeZone,
    ...(budgets.characterDailyUsd === undefined
      ? {}
      : { CARRIER_BUDGET_CHARACTER_DAILY_USD: String(budgets.characterDailyUsd) }),
    ...(budgets.userDailyUsd === undefined
      ? {}
      : { CARRIER_BUDGET_USER_DAILY_USD: String(budgets.userDailyUsd) }),
  };
}
