import { PRICE_TABLE_VERSION, priceOf, type Price } from './prices.ts';

/** The tokens of one turn. `cachedInputTokens` are part of `inputTokens`, billed at the cached price. */
export interface TokenCounts {
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
}

/** A turn's cost in whole micro-USD (rounded up), or null with the reason when the price is unknown. */
export type Cost =
  { microUsd: number; priceVersion: string } | { microUsd: null; priceVersion: string; unknown: string };

/**
 * What `tokens` cost on a provider's model at the table's prices. An unknown model says so:
 * its cost is null, never a guessed zero.
 *
 * @example
 * costOf('openai', 'gpt-4.1-mini', { inputTokens: 1000, cachedInputTokens: 0, outputTokens: 100 }).microUsd; // 560
 */
export function costOf(provider: string, model: string, tokens: TokenCounts, table?: readonly Price[]): Cost {
  const price = priceOf(provider, model, table);
  if (!price) {
    return {
      microUsd: null,
      priceVersion: PRICE_TABLE_VERSION,
      unknown: `no price for ${provider} model ${model} in price table ${PRICE_TABLE_VERSION}; add it to functions/usage/prices.ts`,
    };
  }
  return { microUsd: microUsdAt(price, tokens), priceVersion: PRICE_TABLE_VERSION };
}

/** Cost at one price, rounded up to the micro-dollar (so a turn is never counted as cheaper than it was). */
export function microUsdAt(price: Price, tokens: TokenCounts): number {
  const cached = Math.min(tokens.cachedInputTokens, tokens.inputTokens);
  const exact =
    (tokens.inputTokens - cached) * price.input +
    cached * price.cachedInput +
    tokens.outputTokens * price.output;
  // Prices have at most three decimals; round away float noise before rounding up.
  return Math.ceil(Math.round(exact * 1000) / 1000);
}
