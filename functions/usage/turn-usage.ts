import type { Usage } from '@openai/agents';
import { costOf } from './cost.ts';

/** What one turn used and cost, as stored on the turn and in the usage ledger. */
export interface TurnUsage {
  requests: number;
  inputTokens: number;
  /** Input tokens the provider served from its prompt cache (part of inputTokens). */
  cachedInputTokens: number;
  outputTokens: number;
  totalTokens: number;
  /** Whole micro-USD, rounded up; null when the model has no price (see costUnknown). */
  costMicroUsd: number | null;
  priceVersion: string;
  costUnknown?: string;
}

/**
 * The usage the agents SDK counted for a run, priced for the model that ran it.
 *
 * @example
 * turnUsage({ provider: 'openai', name: 'gpt-4.1-mini' }, result.runContext.usage).costMicroUsd;
 */
export function turnUsage(model: { provider: string; name: string }, usage: Usage): TurnUsage {
  const cachedInputTokens = usage.inputTokensDetails.reduce((sum, d) => sum + (d.cached_tokens ?? 0), 0);
  const tokens = { inputTokens: usage.inputTokens, cachedInputTokens, outputTokens: usage.outputTokens };
  const cost = costOf(model.provider, model.name, tokens);
  return {
    requests: usage.requests,
    ...tokens,
    totalTokens: usage.totalTokens,
    costMicroUsd: cost.microUsd,
    priceVersion: cost.priceVersion,
    ...(cost.microUsd === null ? { costUnknown: cost.unknown } : {}),
  };
}
