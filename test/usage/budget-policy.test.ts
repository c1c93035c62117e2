import { describe, expect, it } from 'vitest';
import { openAiTracing } from '#core/agents/tracing.ts';
import { budgetDay, budgetDefaults, characterBudget } from '#core/usage/budget-policy.ts';
import { costOf } from '#core/usage/cost.ts';

describe('budget settings', () => {
  it('resets at midnight in the configured time zone', () => {
    expect(budgetDay(new Date('2030-01-01T22:59:00Z'), 'Europe/Paris')).toBe('2030-01-01');
    expect(budgetDay(new Date('2030-01-01T23:00:00Z'), 'Europe/Paris')).toBe('2030-01-02');
    expect(budgetDay(new Date('2030-01-01T23:00:00Z'), 'UTC')).toBe('2030-01-01');
  });

  it('names each bad variable and the fix', () => {
    expect(() =>
      budgetDefaults({ CARRIER_BUDGET_TIME_ZONE: 'Mars/Olympus', CARRIER_BUDGET_USER_DAILY_USD: 'lots' }),
    ).toThrow(
      /CARRIER_BUDGET_TIME_ZONE: unknown time zone "Mars\/Olympus"; use an IANA name[\s\S]*CARRIER_BUDGET_USER_DAILY_USD: expected dollars like 0.50, got "lots"/,
    );
  });

  it("takes the character file's caps over the environment's, in micro-USD", () => {
    const defaults = budgetDefaults({
      CARRIER_BUDGET_CHARACTER_DAILY_USD: '2',
      CARRIER_BUDGET_USER_DAILY_USD: '0.1',
    });
    const character = {
      id: 'ada',
      source: 'characters/ada.json',
      name: 'Ada',
      budget: { user_daily_usd: 0.25, fallback_model: 'gpt-4.1-nano' },
    };
    expect(characterBudget(character, defaults)).toEqual({
      characterCapMicroUsd: 2_000_000,
      userCapMicroUsd: 250_000,
      fallback: { model: 'gpt-4.1-nano' },
      refusal: "I've talked enough for today. Let's pick this up tomorrow. — Ada",
    });
  });
});

describe('prices', () => {
  it('prices cached input at the cached price, dated snapshots like their model, and says when it does not know', () => {
    const tokens = { inputTokens: 1000, cachedInputTokens: 400, outputTokens: 100 };
    expect(costOf('openai', 'gpt-4.1-mini-2025-04-14', tokens).microUsd).toBe(
      600 * 0.4 + 400 * 0.1 + 100 * 1.6,
    );
    const unknown = costOf('openai', 'gpt-9', tokens);
    expect(unknown).toMatchObject({
      microUsd: null,
      unknown: expect.stringMatching(/no price for openai model gpt-9/),
    });
  });
});

describe('CARRIER_TRACING', () => {
  it('is off unless set to openai, and refuses anything else', () => {
    expect(openAiTracing({})).toBe(false);
    expect(openAiTracing({ CARRIER_TRACING: 'openai' })).toBe(true);
    expect(() => openAiTracing({ CARRIER_TRACING: 'xray' })).toThrow(/set it to openai, off, or unset it/);
  });
});
