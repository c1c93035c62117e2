import type { TurnResult } from '../agents/run-turn.ts';
import type { TurnTrace } from '../ports/turns.ts';

/** How much of each text a trace keeps: enough to see why, not a copy of the store. */
export const TRACE_LIMITS = { memories: 20, memoryText: 280, tools: 20, arguments: 2_000, output: 4_000 };

const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/**
 * What a turn keeps of how it answered: the memories recall found (with the score parts that
 * ranked them) and each tool call with its arguments and output, each text cut short. Stored ids
 * (users, rooms) are left out: a trace is shown to the job's tenant as it is.
 *
 * @example
 * await turns.answer(id, attempt, stored, { trace: turnTrace(result) });
 */
export function turnTrace(result: Pick<TurnResult, 'recalled' | 'toolCalls'>): TurnTrace {
  return {
    recalled: result.recalled.slice(0, TRACE_LIMITS.memories).map((m) => ({
      id: m.id,
      type: m.type,
      text: cut(m.text, TRACE_LIMITS.memoryText),
      score: m.score,
      why: { ...m.why },
    })),
    tools: result.toolCalls.slice(0, TRACE_LIMITS.tools).map((call) => ({
      name: call.name,
      arguments: cut(call.arguments, TRACE_LIMITS.arguments),
      ...(call.output !== undefined ? { output: cut(call.output, TRACE_LIMITS.output) } : {}),
    })),
  };
}
