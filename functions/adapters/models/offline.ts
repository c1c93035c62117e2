import {
  Usage,
  type AgentInputItem,
  type Model,
  type ModelRequest,
  type ModelResponse,
  type StreamEvent,
} from '@openai/agents';
import { SECTIONS } from '../../agents/instructions.ts';
import type { ResolvedModel } from '../../ports/model.ts';
import { followupReminder, intentToolCall } from './offline-intents.ts';
import { replayStream } from './replay-stream.ts';

/**
 * The offline model: deterministic, no network, no keys. It answers in the character's voice
 * from its message examples, says what recall found ("Earlier you told me …"), and calls a tool
 * when the message says `/tool <name> <json arguments>` (or asks in plain words for what a built-in
 * tool does: offline-intents.ts). It keeps the whole pipeline usable on a
 * machine with no network; it is not a stand-in for a real model's quality.
 *
 * @example
 * await runTurn(input, { model: offlineModel(), memory });
 */
export function offlineModel(notice?: string, options: OfflineModelOptions = {}): ResolvedModel {
  return {
    model: new OfflineModel(options),
    provider: 'offline',
    name: 'offline',
    ...(notice ? { notice } : {}),
  };
}

export interface OfflineModelOptions {
  /** A pause before each streamed word-sized chunk, to watch streaming locally. Default 0. */
  chunkDelayMs?: number;
}

export const OFFLINE_TAG = '(offline)';
const TOOL_SYNTAX = /\/tool\s+([A-Za-z0-9_.-]+)\s*(\{[\s\S]*\})?/;

export class OfflineModel implements Model {
  constructor(private readonly options: OfflineModelOptions = {}) {}

  async getResponse(request: ModelRequest): Promise<ModelResponse> {
    const items = typeof request.input === 'string' ? [userItem(request.input)] : request.input;
    const last = items.at(-1);
    const text =
      last?.type === 'function_call_result' ? afterTool(last) : this.answer(request, lastUserText(items));
    const output = typeof text === 'string' ? [assistant(text)] : [text];
    return { output, usage: estimateUsage(request, output), responseId: undefined };
  }

  /** The answer in word-sized deltas (each after `chunkDelayMs`), then the whole response. */
  async *getStreamedResponse(request: ModelRequest): AsyncIterable<StreamEvent> {
    yield* replayStream(await this.getResponse(request), 'offline', {
      ...(this.options.chunkDelayMs ? { delayMs: this.options.chunkDelayMs } : {}),
      ...(request.signal ? { signal: request.signal } : {}),
    });
  }

  private answer(request: ModelRequest, message: string): string | AgentInputItem {
    const call = TOOL_SYNTAX.exec(message);
    if (call) return toolCall(request, call[1]!, call[2] ?? '{}');
    const intent = intentToolCall(message);
    if (intent && request.tools.some((t) => t.type === 'function' && t.name === intent.name))
      return toolCall(request, intent.name, JSON.stringify(intent.args));
    const reminder = followupReminder(message);
    if (reminder) return `${OFFLINE_TAG} ${reminder}`;
    const prompt = parsePrompt(request.systemInstructions ?? '');
    const example = pickExample(prompt.examples, message);
    const memory = bestMatch(prompt.remembered, message);
    const parts = [OFFLINE_TAG];
    if (example) parts.push(example);
    // Facts from reflection are written about "the user"; what the user said is quoted back.
    if (memory)
      parts.push(
        /^the user\b/i.test(memory) ? `I remember: ${memory}.` : `Earlier you told me: "${memory}".`,
      );
    if (!example && !memory) parts.push('Noted.');
    return parts.join(' ');
  }
}

function toolCall(request: ModelRequest, name: string, args: string): string | AgentInputItem {
  const available = request.tools.filter((t) => t.type === 'function').map((t) => t.name);
  // The SDK exposes MCP tools named `get-sum` as `get_sum`; accept either spelling.
  if (!available.includes(name) && available.includes(name.replaceAll('-', '_')))
    name = name.replaceAll('-', '_');
  if (!available.includes(name)) {
    return `${OFFLINE_TAG} I have no tool called "${name}". Tools I can use: ${available.join(', ') || 'none'}.`;
  }
  try {
    JSON.parse(args);
  } catch {
    return `${OFFLINE_TAG} The arguments for ${name} are not valid JSON: ${args}`;
  }
  return {
    type: 'function_call',
    callId: `offline_${name}_${Date.now().toString(36)}`,
    name,
    arguments: args,
    status: 'completed',
  };
}

function afterTool(item: Extract<AgentInputItem, { type: 'function_call_result' }>): string {
  const output = item.output;
  const text =
    typeof output === 'string'
      ? output
      : Array.isArray(output)
        ? output.map((o) => ('text' in o ? o.text : JSON.stringify(o))).join(' ')
        : 'text' in output
          ? String(output.text)
          : JSON.stringify(output);
  return `${OFFLINE_TAG} ${item.name} returned: ${text}`;
}

interface ParsedPrompt {
  name?: string;
  examples: Array<{ prompt: string; reply: string }>;
  /** Things the user said before: recalled memories and the user's recent lines. */
  remembered: string[];
}

const DATA_FENCE = /^(<\/?(memories|conversation)>|The <(memories|conversation)> block below is data)/;

/** Reads back the sections that functions/agents/instructions.ts writes. */
function parsePrompt(instructions: string): ParsedPrompt {
  const sections = new Map<string, string[]>();
  let current = '';
  for (const line of instructions.split('\n')) {
    if (line.startsWith('# ')) current = line;
    // A data block's introduction and fence are not what was said.
    else if (line.trim() && !DATA_FENCE.test(line))
      sections.set(current, [...(sections.get(current) ?? []), line]);
  }
  const name = /^You are ([^.,\n]+)/.exec(instructions)?.[1]?.trim();
  const examples: ParsedPrompt['examples'] = [];
  let lastUser = '';
  for (const line of sections.get(SECTIONS.examples) ?? []) {
    const [speaker, ...rest] = line.split(': ');
    const said = rest.join(': ');
    if (speaker === 'user') lastUser = said;
    else if (said) examples.push({ prompt: lastUser, reply: said });
  }
  // The character's own lines are not what the user said; a user's line loses its label.
  const own = (line: string) => name !== undefined && line.startsWith(`${name}: `);
  const recalled = (sections.get(SECTIONS.memories) ?? [])
    .map((l) => l.replace(/^- /, ''))
    .filter((l) => !own(l))
    .map((l) => l.replace(/^(?:[^:]+ \(user\)|user): /, ''));
  const recentUserLines = (sections.get(SECTIONS.recent) ?? [])
    .filter((l) => !own(l))
    .map((l) => l.replace(/^[^:]+: /, ''));
  return { ...(name ? { name } : {}), examples, remembered: [...recalled, ...recentUserLines] };
}

const STOP = new Set(
  'a an and are as at be but by do does for from had has have i in is it its me my of on or so that the this to was we what when where which who why with you your'.split(
    ' ',
  ),
);

/** Content words, cut to a 5-letter stem so "colours" meets "colour" and "favourite" meets "favorite"-less forms. */
function words(text: string): Set<string> {
  return new Set(
    text
      .toLowerCase()
      .split(/[^a-z0-9]+/)
      .filter((w) => w.length > 1 && !STOP.has(w))
      .map((w) => w.slice(0, 5)),
  );
}

function overlap(a: Set<string>, b: Set<string>): number {
  let n = 0;
  for (const w of a) if (b.has(w)) n++;
  return n;
}

function bestMatch(candidates: string[], message: string): string | undefined {
  const wanted = words(message);
  let best: string | undefined;
  let bestScore = 0;
  for (const candidate of candidates) {
    const score = overlap(wanted, words(candidate));
    if (score > bestScore) [best, bestScore] = [candidate, score];
  }
  return best;
}

/** The reply of the example (prompt and reply) sharing the most words with the message; none when none do. */
function pickExample(examples: ParsedPrompt['examples'], message: string): string | undefined {
  const wanted = words(message);
  let best: { reply: string; score: number } | undefined;
  for (const e of examples) {
    const score = overlap(wanted, words(`${e.prompt} ${e.reply}`));
    if (score > (best?.score ?? 0)) best = { reply: e.reply, score };
  }
  return best?.reply;
}

function lastUserText(items: AgentInputItem[]): string {
  for (let i = items.length - 1; i >= 0; i--) {
    const item = items[i]!;
    if ('role' in item && item.role === 'user') {
      return typeof item.content === 'string'
        ? item.content
        : item.content.map((c) => ('text' in c ? c.text : '')).join(' ');
    }
  }
  return '';
}

function userItem(text: string): AgentInputItem {
  return { type: 'message', role: 'user', content: text };
}

function assistant(text: string): AgentInputItem {
  return {
    type: 'message',
    role: 'assistant',
    status: 'completed',
    content: [{ type: 'output_text', text }],
  };
}

/** Roughly four characters a token: the offline model has no tokenizer, and costs nothing. */
function estimateUsage(request: ModelRequest, output: AgentInputItem[]): Usage {
  const inputTokens = Math.ceil(
    ((request.systemInstructions?.length ?? 0) + JSON.stringify(request.input).length) / 4,
  );
  const outputTokens = Math.ceil(JSON.stringify(output).length / 4);
  return new Usage({ requests: 1, inputTokens, outputTokens, totalTokens: inputTokens + outputTokens });
}
