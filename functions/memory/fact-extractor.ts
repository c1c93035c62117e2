import { Agent, Runner } from '@openai/agents';
import { z } from 'zod';
import type { ResolvedModel } from '../ports/model.ts';
import { patternFacts } from './fact-patterns.ts';
import type { FactExtractor } from '../ports/memory-records.ts';

const factsSchema = z.object({
  facts: z
    .array(
      z.object({
        key: z
          .string()
          .describe('snake_case attribute, e.g. favourite_colour, home_city, job; reuse a known key'),
        value: z.string().describe('the value alone, e.g. teal'),
        statement: z.string().describe('one sentence about the user in the third person'),
      }),
    )
    .describe('durable facts the user stated about themselves; empty when there are none'),
});

const runner = new Runner({ tracingDisabled: true });

/**
 * Reflection with the character's model: structured output (a zod schema) listing durable facts
 * the user stated, reusing known keys so a changed fact supersedes the old one. The offline
 * model extracts with fixed patterns instead, so the loop works with no keys.
 *
 * @example
 * new StoreMemory(store, { extractFacts: modelFactExtractor(() => selectModel(character, { deployed: false })) });
 */
export function modelFactExtractor(
  modelFor: (agentId: string) => ResolvedModel | Promise<ResolvedModel>,
): FactExtractor {
  return async (turn, known) => {
    const model = await modelFor(turn.agentId);
    if (model.provider === 'offline') return patternFacts(turn.userText, turn.userName);
    const facts = await known();
    const agent = new Agent({
      name: 'reflection',
      model: model.model,
      outputType: factsSchema,
      instructions: [
        'Extract durable facts the user states about themselves (name, preferences, home, work, relationships, plans).',
        'Ignore small talk, questions, and anything said about other people or by the assistant.',
        'Reuse the key of a known fact when the user changes it. Return an empty list when nothing is durable.',
        facts.length
          ? `Known facts:\n${facts.map((f) => `- ${f.key ?? 'fact'}: ${f.text}`).join('\n')}`
          : 'No facts are known yet.',
      ].join('\n'),
    });
    const result = await runner.run(
      agent,
      `User (${turn.userName ?? turn.userId}): ${turn.userText}\nAssistant: ${turn.replyText}`,
      {
        maxTurns: 1,
      },
    );
    return (result.finalOutput?.facts ?? []).map((f) => ({ key: f.key, value: f.value, text: f.statement }));
  };
}
