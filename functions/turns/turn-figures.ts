import type { TurnResult } from '../agents/run-turn.ts';
import type { MetricValues } from '../ports/metrics.ts';

/** The agents SDK's answer to the model when a tool threw (its default error function). */
const TOOL_ERROR = 'An error occurred while running the tool';

/**
 * The metrics of an answered turn. Until the model call streams, the first token arrives with
 * the whole answer, so time to first token is the model time.
 *
 * @example
 * metrics.record({ character: 'ada', model: result.model.name }, answeredFigures(result));
 */
export function answeredFigures(result: TurnResult, extra: MetricValues = {}): MetricValues {
  const { usage, timings } = result;
  return {
    AnsweredTurns: 1,
    TurnLatency: timings.totalMs,
    TimeToFirstToken: timings.modelMs,
    RecallMs: timings.recallMs,
    ModelMs: timings.modelMs,
    InputTokens: usage.inputTokens,
    CachedInputTokens: usage.cachedInputTokens,
    OutputTokens: usage.outputTokens,
    ...(usage.costMicroUsd === null ? { UnpricedTurns: 1 } : { CostMicroUsd: usage.costMicroUsd }),
    ToolCalls: result.toolCalls.length,
    ToolErrors: result.toolCalls.filter((c) => c.output?.startsWith(TOOL_ERROR)).length,
    ...extra,
  };
}
