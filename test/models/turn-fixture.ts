import { tool } from '@openai/agents';
import { z } from 'zod';
import type { TurnInput } from '#core/agents/run-turn.ts';
import type { Character } from '#core/characters/schema.ts';

/** A tool with a fixed answer, so a test can find its output in the next model request. */
export const lookupOrder = tool({
  name: 'lookup_order',
  description: 'Where an order is.',
  parameters: z.object({ orderId: z.string() }),
  execute: async ({ orderId }) => `order ${orderId} shipped on 2026-03-02`,
});

export const ORDER_STATUS = 'order A-17 shipped on 2026-03-02';

export function ask(character: Character, text: string, id = 'turn-1'): TurnInput {
  return { id, character, conversation: 'c1', user: { id: 'u1', name: 'Sam' }, text };
}
