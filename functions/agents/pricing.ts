import type { Pricing } from '../ports/model.ts';

/**
 * List prices in USD per million tokens, used only for the turn's cost estimate. Unknown
 * models estimate at zero rather than guessing.
 */
const PRICES: Array<[RegExp, Pricing]> = [
  [/^gpt-4\.1-nano/, { input: 0.1, output: 0.4 }],
  [/^gpt-4\.1-mini/, { input: 0.4, output: 1.6 }],
  [/^gpt-4\.1/, { input: 2, output: 8 }],
  [/^gpt-4o-mini/, { input: 0.15, output: 0.6 }],
  [/^gpt-4o/, { input: 2.5, output: 10 }],
  [/^gpt-5-mini/, { input: 0.25, output: 2 }],
  [/^gpt-5-nano/, { input: 0.05, output: 0.4 }],
  [/^gpt-5/, { input: 1.25, output: 10 }],
  [/^claude-.*haiku/, { input: 1, output: 5 }],
  [/^claude-.*sonnet/, { input: 3, output: 15 }],
  [/^claude-.*opus/, { input: 15, output: 75 }],
];

export function estimateCostUsd(model: string, inputTokens: number, outputTokens: number): number {
  const price = PRICES.find(([pattern]) => pattern.test(model))?.[1];
  if (!price) return 0;
  return (inputTokens * price.input + outputTokens * price.output) / 1_000_000;
}
