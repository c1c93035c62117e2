import type { Agent, Runner, RunStreamEvent, RunItem, Usage } from '@openai/agents';

/** What a streamed turn reports as it happens: text as it is written, tools as they run. */
export type TurnStreamEvent =
  { kind: 'delta'; text: string } | { kind: 'tool_start'; name: string } | { kind: 'tool_end'; name: string };

type RunOptions = { maxTurns: number; signal: AbortSignal };

/** The parts of a run's result a turn reads: the same on a streamed and a buffered run. */
export interface RunOutcome {
  finalOutput: unknown;
  newItems: RunItem[];
  runContext: { usage: Usage };
}

/**
 * Runs the agent; with `onEvent`, through the SDK's own streaming (`stream: true`), telling
 * `onEvent` each text delta and each tool call's start and end as they happen. Errors reject as
 * on a buffered run.
 *
 * @example
 * const result = await runAgent(runner, agent, 'hi', options, (e) => e.kind === 'delta' && write(e.text));
 */
export async function runAgent(
  runner: Runner,
  agent: Agent,
  text: string,
  options: RunOptions,
  onEvent?: (event: TurnStreamEvent) => void,
): Promise<RunOutcome> {
  if (!onEvent) return runner.run(agent, text, options);
  const result = await runner.run(agent, text, { ...options, stream: true });
  for await (const event of result) {
    const mapped = toTurnEvent(event);
    if (mapped) onEvent(mapped);
  }
  await result.completed;
  if (result.error) throw result.error;
  return result;
}

function toTurnEvent(event: RunStreamEvent): TurnStreamEvent | undefined {
  if (event.type === 'raw_model_stream_event') {
    return event.data.type === 'output_text_delta' && event.data.delta
      ? { kind: 'delta', text: event.data.delta }
      : undefined;
  }
  if (event.type !== 'run_item_stream_event') return undefined;
  const raw = event.item.rawItem as { name?: unknown };
  const name = typeof raw.name === 'string' ? raw.name : 'tool';
  if (event.name === 'tool_called') return { kind: 'tool_start', name };
  if (event.name === 'tool_output') return { kind: 'tool_end', name };
  return undefined;
}
