import { tool } from '@openai/agents';
import { z } from 'zod';
import { InMemoryMemory } from '#core/adapters/memory/in-memory-memory.ts';
import { runTurn, type TurnInput, type TurnResult } from '#core/agents/run-turn.ts';
import type { Character } from '#core/characters/schema.ts';
import type { ResolvedModel } from '#core/ports/model.ts';

/** A tool with a fixed answer, so a test can find its output in the next model request. */
export const lookupOrder = tool({
  name: 'lookup_order',
  description: 'Where an order is.',
  parameters: z.object({ orderId: z.string() }),
  execute: async ({ orderId }) => `order ${orderId} shipped on 2026-03-02`,
});

export const ORDER_STATUS = 'order A-17 shipped on 2026-03-02';

/** What runTurn reports after the model called lookup_order for A-17. */
export const ORDER_TOOL_CALL = {
  name: 'lookup_order',
  arguments: '{"orderId":"A-17"}',
  output: ORDER_STATUS,
};

/** One turn asking where order A-17 is, with lookup_order beside the built-in tools. */
export function askAboutOrder(character: Character, model: ResolvedModel): Promise<TurnResult> {
  return runTurn(ask(character, 'Where is my order A-17?'), {
    model,
    memory: new InMemoryMemory(),
    tools: [lookupOrder],
  });
}

export function ask(character: Character, text: string, id = 'turn-1'): TurnInput {
  return { id, character, conversation: 'c1', user: { id: 'u1', name: 'Sam' }, text };
}
