import { Agent, MaxTurnsExceededError, Runner, type RunItem, type Tool } from '@openai/agents';
import type { Character } from '../characters/schema.ts';
import { CarrierError } from '../errors.ts';
import type { McpPool, SkippedServer } from '../mcp/pool.ts';
import { turnUsage, type TurnUsage } from '../usage/turn-usage.ts';
import type { ResolvedModel } from '../ports/model.ts';
import type { MemoryPort, RecalledMemory } from '../ports/memory.ts';
import { builtinTools } from './builtin-tools.ts';
import { openAiTracing } from './tracing.ts';
import { composeInstructions } from './instructions.ts';
import { runAgent, type TurnStreamEvent } from './streamed-run.ts';

export interface TurnInput {
  /** The TurnRequest id; memories are stored idempotently by it. */
  id: string;
  character: Character;
  conversation: string;
  user: { id: string; name?: string };
  text: string;
}

export interface TurnDeps {
  model: ResolvedModel;
  memory: MemoryPort;
  mcp?: McpPool;
  /** Extra tools beside the built-in ones. */
  tools?: Tool[];
  /** Model calls in one turn at most (each tool round is one). Default 8. */
  maxModelCalls?: number;
  /** The whole turn's budget in milliseconds. Default 60 s. */
  timeoutMs?: number;
  /**
   * Store the exchange in memory before returning. Default true. The queue runner passes false
   * and calls rememberExchange once the reply is recorded on the turn, so a retry never keeps
   * one reply in memory and delivers another.
   */
  remember?: boolean;
  now?: () => Date;
  /** Streams the turn (the SDK's `stream: true`) and reports its text and tool calls as they happen. */
  onEvent?: (event: TurnStreamEvent) => void;
}

export interface ToolCallRecord {
  name: string;
  arguments: string;
  output?: string;
}

export interface TurnResult {
  reply: string;
  toolCalls: ToolCallRecord[];
  /** What recall found for the turn (the room's recent messages aside). */
  recalled: RecalledMemory[];
  usage: TurnUsage;
  timings: { recallMs: number; modelMs: number; storeMs: number; totalMs: number };
  model: { provider: string; name: string };
  notices: string[];
  skippedServers: SkippedServer[];
}

export class TurnError extends CarrierError {
  override name = 'TurnError';
}

// Spans go to OpenAI only with CARRIER_TRACING=openai; otherwise turns log their own timings.
const runner = new Runner({ tracingDisabled: !openAiTracing() });

/**
 * Runs one agent turn for a character: recall, compose instructions, run the model with the
 * character's MCP servers and the built-in tools, store the exchange.
 *
 * @example
 * const result = await runTurn({ id: 't1', character, conversation: 'c1', user: { id: 'u1' }, text: 'hi' },
 *   { model: offlineModel(), memory: new InMemoryMemory() });
 */
export async function runTurn(input: TurnInput, deps: TurnDeps): Promise<TurnResult> {
  const started = performance.now();
  const now = deps.now ?? (() => new Date());
  const { character } = input;

  const recollection = await deps.memory.recall({
    agentId: character.id,
    userId: input.user.id,
    roomId: input.conversation,
    text: input.text,
  });
  const recalled = performance.now();

  const { servers, skipped } = deps.mcp
    ? await deps.mcp.servers(character.mcp_servers ?? [])
    : { servers: [], skipped: [] };
  const agent = new Agent({
    name: character.name,
    instructions: composeInstructions(character, input.conversation, recollection),
    model: deps.model.model,
    modelSettings: character.temperature === undefined ? {} : { temperature: character.temperature },
    tools: [...builtinTools, ...(deps.tools ?? [])],
    mcpServers: servers,
  });

  const result = await runAgent(
    runner,
    agent,
    input.text,
    { maxTurns: deps.maxModelCalls ?? 8, signal: AbortSignal.timeout(deps.timeoutMs ?? 60_000) },
    deps.onEvent,
  ).catch((error: unknown) => {
    if (error instanceof MaxTurnsExceededError) {
      throw new TurnError(
        `${character.id}: the turn used more than ${deps.maxModelCalls ?? 8} model calls without answering`,
        'turn_limit',
        { cause: error },
      );
    }
    throw error;
  });
  const answered = performance.now();

  const reply =
    typeof result.finalOutput === 'string' ? result.finalOutput : JSON.stringify(result.finalOutput ?? '');
  if (deps.remember !== false) await rememberExchange(input, reply, { memory: deps.memory, now });
  const stored = performance.now();

  return {
    reply,
    toolCalls: toolCalls(result.newItems),
    recalled: recollection.memories,
    usage: turnUsage(deps.model, result.runContext.usage),
    timings: {
      recallMs: recalled - started,
      modelMs: answered - recalled,
      storeMs: stored - answered,
      totalMs: stored - started,
    },
    model: { provider: deps.model.provider, name: deps.model.name },
    notices: deps.model.notice ? [deps.model.notice] : [],
    skippedServers: skipped,
  };
}

/**
 * Stores one exchange (the user's text and the reply) in memory, idempotently by the turn id:
 * what runTurn does last unless told `remember: false`.
 *
 * @example
 * const result = await runTurn(input, { ...deps, remember: false });
 * await recordReply(result); // e.g. on the turn row
 * await rememberExchange(input, result.reply, deps);
 */
export async function rememberExchange(
  input: TurnInput,
  reply: string,
  deps: { memory: MemoryPort; now?: () => Date },
): Promise<void> {
  await deps.memory.remember({
    turnId: input.id,
    agentId: input.character.id,
    userId: input.user.id,
    userName: input.user.name,
    roomId: input.conversation,
    userText: input.text,
    replyText: reply,
    at: (deps.now ?? (() => new Date()))().toISOString(),
  });
}

function toolCalls(items: RunItem[]): ToolCallRecord[] {
  const calls = new Map<string, ToolCallRecord>();
  for (const item of items) {
    if (item.type === 'tool_call_item' && item.rawItem.type === 'function_call') {
      calls.set(item.rawItem.callId, { name: item.rawItem.name, arguments: item.rawItem.arguments });
    } else if (item.type === 'tool_call_output_item') {
      const call = calls.get(item.rawItem.callId);
      if (call) call.output = typeof item.output === 'string' ? item.output : JSON.stringify(item.output);
    }
  }
  return [...calls.values()];
}
