import type { Character } from '../characters/schema.ts';
import { ConfigError, type ConfigProblem } from '../errors.ts';

/** How much a turn may cost at worst, in tokens: what is reserved before the model runs. */
export interface ReserveTokens {
  inputTokens: number;
  outputTokens: number;
}

/** The environment's budget settings; a character file's `budget` overrides the caps. */
export interface BudgetDefaults {
  /** CARRIER_BUDGET_TIME_ZONE: budgets reset at midnight here. Default UTC. */
  timeZone: string;
  /** CARRIER_BUDGET_CHARACTER_DAILY_USD: each character's daily cap. Default none. */
  characterDailyUsd?: number;
  /** CARRIER_BUDGET_USER_DAILY_USD: each user's daily cap with one character. Default none. */
  userDailyUsd?: number;
  /** CARRIER_BUDGET_RESERVE_INPUT_TOKENS / _OUTPUT_TOKENS: a turn's worst case. Default 8000 / 1000. */
  reserve: ReserveTokens;
}

/** One character's caps (micro-USD) and what it does over them. */
export interface CharacterBudget {
  characterCapMicroUsd?: number;
  userCapMicroUsd?: number;
  fallback?: { model: string; provider?: string };
  refusal: string;
}

/**
 * Reads the CARRIER_BUDGET_* variables, failing fast with one line per bad value.
 *
 * @example
 * budgetDefaults({ CARRIER_BUDGET_TIME_ZONE: 'Europe/Paris', CARRIER_BUDGET_USER_DAILY_USD: '0.50' });
 */
export function budgetDefaults(env: Readonly<Record<string, string | undefined>>): BudgetDefaults {
  const problems: ConfigProblem[] = [];
  const problem = (path: string, message: string) => problems.push({ file: 'environment', path, message });
  const timeZone = env.CARRIER_BUDGET_TIME_ZONE || 'UTC';
  if (!validTimeZone(timeZone))
    problem(
      'CARRIER_BUDGET_TIME_ZONE',
      `unknown time zone "${timeZone}"; use an IANA name like Europe/Paris or UTC`,
    );
  const usd = (name: string) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return undefined;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < 0) problem(name, `expected dollars like 0.50, got "${raw}"`);
    return value;
  };
  const tokens = (name: string, fallback: number) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 1)
      problem(name, `expected a whole number of tokens, got "${raw}"`);
    return value;
  };
  const defaults: BudgetDefaults = {
    timeZone,
    characterDailyUsd: usd('CARRIER_BUDGET_CHARACTER_DAILY_USD'),
    userDailyUsd: usd('CARRIER_BUDGET_USER_DAILY_USD'),
    reserve: {
      inputTokens: tokens('CARRIER_BUDGET_RESERVE_INPUT_TOKENS', 8000),
      outputTokens: tokens('CARRIER_BUDGET_RESERVE_OUTPUT_TOKENS', 1000),
    },
  };
  if (problems.length) throw new ConfigError(problems);
  return defaults;
}

/** The caps that apply to a character: its file's `budget`, else the environment's. */
export function characterBudget(character: Character, defaults: BudgetDefaults): CharacterBudget {
  const own = character.budget ?? {};
  const dollars = own.daily_usd ?? defaults.characterDailyUsd;
  const perUser = own.user_daily_usd ?? defaults.userDailyUsd;
  return {
    ...(dollars === undefined ? {} : { characterCapMicroUsd: Math.round(dollars * 1_000_000) }),
    ...(perUser === undefined ? {} : { userCapMicroUsd: Math.round(perUser * 1_000_000) }),
    ...(own.fallback_model
      ? {
          fallback: {
            model: own.fallback_model,
            ...(own.fallback_provider ? { provider: own.fallback_provider } : {}),
          },
        }
      : {}),
    refusal: own.refusal ?? `I've talked enough for today. Let's pick this up tomorrow. — ${character.name}`,
  };
}

/**
 * The budget day (YYYY-MM-DD) of `now` in `timeZone`: budgets reset at that zone's midnight.
 *
 * @example
 * budgetDay(new Date('2030-01-01T23:30:00Z'), 'Europe/Paris'); // '2030-01-02'
 */
export function budgetDay(now: Date, timeZone: string): string {
  // A formatter costs about a millisecond to build and every turn asks: one per zone.
  let format = DAY_FORMATS.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    DAY_FORMATS.set(timeZone, format);
  }
  return format.format(now);
}

const DAY_FORMATS = new Map<string, Intl.DateTimeFormat>();

/**
 * Whether `timeZone` is an IANA zone this runtime knows (`Europe/Paris`, `UTC`).
 *
 * @example
 * validTimeZone('Mars/Olympus'); // false
 */
export function validTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return true;
  } catch {
    return false;
  }
}
