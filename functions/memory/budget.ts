import type { ConversationMessage, RecalledMemory, Recollection } from '../ports/memory.ts';

/** A rough token count (about four characters a token in English): enough to keep a budget. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4) + 1;
}

export interface MemoryBudget {
  /** Tokens for everything memory adds to the instructions. Default 1,500. */
  tokens?: number;
  /** The share of it the recent conversation may take first. Default 0.5. */
  recentShare?: number;
}

/**
 * Keeps a recollection within a token budget: the newest recent messages first (up to their
 * share), then memories in the order given (facts about the user, then the best-scored hits),
 * each whole or not at all. Recent messages stay oldest first.
 *
 * @example fitToBudget({ recent, memories }, { tokens: 800 })
 */
export function fitToBudget(recollection: Recollection, budget: MemoryBudget = {}): Recollection {
  const total = budget.tokens ?? 1_500;
  let left = total;
  const recentBudget = total * (budget.recentShare ?? 0.5);
  const recent: ConversationMessage[] = [];
  let recentUsed = 0;
  for (const message of [...recollection.recent].reverse()) {
    const cost = estimateTokens(message.text) + 4;
    if (recentUsed + cost > recentBudget) break;
    recent.unshift(message);
    recentUsed += cost;
  }
  left -= recentUsed;
  const memories: RecalledMemory[] = [];
  for (const memory of recollection.memories) {
    const cost = estimateTokens(memory.text) + 2;
    if (cost > left) continue;
    memories.push(memory);
    left -= cost;
  }
  return { recent, memories };
}
