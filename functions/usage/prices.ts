/**
 * List prices in USD per million tokens, which is the same number as micro-USD per token.
 * `cachedInput` is the price of input tokens served from the provider's prompt cache. The
 * table is versioned: every stored cost names the version it was computed with, so a price
 * change never rewrites yesterday's figures. Bump `PRICE_TABLE_VERSION` when a price changes.
 */
export interface Price {
  provider: string;
  /** Matches the model name exactly or followed by a dated snapshot suffix (`gpt-4.1-mini-2025-04-14`). */
  model: string;
  input: number;
  cachedInput: number;
  output: number;
}

export const PRICE_TABLE_VERSION = '2026-12-01';

export const PRICES: readonly Price[] = [
  { provider: 'openai', model: 'gpt-4.1', input: 2, cachedInput: 0.5, output: 8 },
  { provider: 'openai', model: 'gpt-4.1-mini', input: 0.4, cachedInput: 0.1, output: 1.6 },
  { provider: 'openai', model: 'gpt-4.1-nano', input: 0.1, cachedInput: 0.025, output: 0.4 },
  { provider: 'openai', model: 'gpt-4o', input: 2.5, cachedInput: 1.25, output: 10 },
  { provider: 'openai', model: 'gpt-4o-mini', input: 0.15, cachedInput: 0.075, output: 0.6 },
  { provider: 'openai', model: 'gpt-5', input: 1.25, cachedInput: 0.125, output: 10 },
  { provider: 'openai', model: 'gpt-5-mini', input: 0.25, cachedInput: 0.025, output: 2 },
  { provider: 'openai', model: 'gpt-5-nano', input: 0.05, cachedInput: 0.005, output: 0.4 },
  { provider: 'anthropic', model: 'claude-haiku-4-5', input: 1, cachedInput: 0.1, output: 5 },
  { provider: 'anthropic', model: 'claude-sonnet-4-5', input: 3, cachedInput: 0.3, output: 15 },
  { provider: 'anthropic', model: 'claude-opus-4-1', input: 15, cachedInput: 1.5, output: 75 },
  // The offline model runs on this machine: it is free, and says so.
  { provider: 'offline', model: '*', input: 0, cachedInput: 0, output: 0 },
];

/**
 * The price of a provider's model, or undefined when the table does not know it: callers
 * report the cost as unknown rather than guess zero.
 *
 * @example
 * priceOf('openai', 'gpt-4.1-mini-2025-04-14')?.output; // 1.6
 */
export function priceOf(
  provider: string,
  model: string,
  table: readonly Price[] = PRICES,
): Price | undefined {
  return table.find(
    (p) =>
      p.provider === provider &&
      (p.model === '*' ||
        p.model === model ||
        new RegExp(`^${escape(p.model)}-\\d{4}-?\\d{2}-?\\d{2}$`).test(model)),
  );
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
