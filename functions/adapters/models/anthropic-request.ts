import type Anthropic from '@anthropic-ai/sdk';
import type { AgentInputItem, ModelRequest, ModelSettingsToolChoice } from '@openai/agents';
import { DYNAMIC_MARKER } from '../../agents/instructions.ts';
import { ModelError } from './model-error.ts';

type MessagesRequest = Anthropic.MessageCreateParamsNonStreaming;
type ContentBlock = Anthropic.ContentBlockParam;

const CACHED = { type: 'ephemeral' } as const;

/**
 * Maps the agents SDK's request to a Messages API request. The stable character prompt (before
 * DYNAMIC_MARKER) and the tool definitions carry cache breakpoints, so every turn of a
 * conversation re-reads them from Anthropic's prompt cache; the per-turn memory after the
 * marker is sent uncached.
 *
 * @example
 * const body = toMessagesRequest(request, 'claude-sonnet-5-5', 4096);
 * await client.messages.create(body, { signal: request.signal });
 */
export function toMessagesRequest(request: ModelRequest, model: string, maxTokens: number): MessagesRequest {
  if (request.outputType !== 'text') {
    throw new ModelError(
      'the Anthropic model answers in text only; give the agent no outputType',
      'model_request_unsupported',
    );
  }
  const settings = request.modelSettings;
  const { system, messages } = toMessages(request.input);
  const tools = toTools(request);
  const body: MessagesRequest = {
    model,
    max_tokens: settings.maxTokens ?? maxTokens,
    messages,
  };
  const systemBlocks = [...instructionBlocks(request.systemInstructions), ...system];
  if (systemBlocks.length) body.system = systemBlocks;
  if (tools.length) body.tools = tools;
  // No temperature or top_p: the Messages API version this SDK sends rejects every sampling
  // parameter with a 400, so a character's temperature applies to OpenAI models only.
  const choice = toolChoice(settings.toolChoice, settings.parallelToolCalls);
  if (choice && tools.length) body.tool_choice = choice;
  return body;
}

function instructionBlocks(instructions: string | undefined): Anthropic.TextBlockParam[] {
  if (!instructions) return [];
  const at = instructions.indexOf(DYNAMIC_MARKER);
  const stable = at === -1 ? instructions : instructions.slice(0, at);
  const dynamic = at === -1 ? '' : instructions.slice(at + DYNAMIC_MARKER.length);
  const blocks: Anthropic.TextBlockParam[] = [{ type: 'text', text: stable, cache_control: CACHED }];
  if (dynamic.trim()) blocks.push({ type: 'text', text: dynamic });
  return blocks;
}

function toTools(request: ModelRequest): Anthropic.Tool[] {
  const tools: Anthropic.Tool[] = request.tools.map((tool) => {
    if (tool.type !== 'function') {
      throw new ModelError(
        `tool "${tool.name}" (${tool.type}) runs on OpenAI only; the Anthropic model takes function and MCP tools`,
        'model_request_unsupported',
      );
    }
    return {
      name: tool.name,
      description: tool.description,
      input_schema: tool.parameters as Anthropic.Tool.InputSchema,
    };
  });
  for (const handoff of request.handoffs) {
    tools.push({
      name: handoff.toolName,
      description: handoff.toolDescription,
      input_schema: handoff.inputJsonSchema as Anthropic.Tool.InputSchema,
    });
  }
  // One breakpoint on the last tool caches the whole tool list, which precedes the system prompt.
  const last = tools.at(-1);
  if (last) last.cache_control = CACHED;
  return tools;
}

function toolChoice(
  choice: ModelSettingsToolChoice | undefined,
  parallel: boolean | undefined,
): Anthropic.ToolChoice | undefined {
  const single = parallel === false ? { disable_parallel_tool_use: true } : {};
  if (choice === undefined) return parallel === false ? { type: 'auto', ...single } : undefined;
  if (choice === 'auto') return { type: 'auto', ...single };
  if (choice === 'required') return { type: 'any', ...single };
  if (choice === 'none') return { type: 'none' };
  return { type: 'tool', name: choice, ...single };
}

/**
 * The SDK's item list as Anthropic messages: tool calls become `tool_use` blocks in an assistant
 * message and their results `tool_result` blocks in the next user message. Consecutive items of
 * one role are merged, because every tool_result must sit in the user message right after the
 * assistant message holding its tool_use.
 */
function toMessages(input: ModelRequest['input']): {
  system: Anthropic.TextBlockParam[];
  messages: Anthropic.MessageParam[];
} {
  const items: AgentInputItem[] =
    typeof input === 'string' ? [{ type: 'message', role: 'user', content: input }] : input;
  const system: Anthropic.TextBlockParam[] = [];
  const messages: Anthropic.MessageParam[] = [];
  const add = (role: 'user' | 'assistant', blocks: ContentBlock[]) => {
    if (!blocks.length) return;
    const last = messages.at(-1);
    if (last?.role === role && Array.isArray(last.content)) last.content.push(...blocks);
    else messages.push({ role, content: blocks });
  };
  for (const item of items) {
    if (item.type === 'function_call') {
      add('assistant', [{ type: 'tool_use', id: item.callId, name: item.name, input: parseArguments(item) }]);
    } else if (item.type === 'function_call_result') {
      add('user', [{ type: 'tool_result', tool_use_id: item.callId, content: resultText(item.output) }]);
    } else if (item.type === 'reasoning') {
      // Another provider's reasoning cannot be replayed to Anthropic; the answer that followed it carries on.
    } else if ((item.type === undefined || item.type === 'message') && 'role' in item) {
      if (item.role === 'system') system.push({ type: 'text', text: item.content });
      else if (item.role === 'user') add('user', userBlocks(item.content));
      else add('assistant', assistantBlocks(item.content));
    } else {
      throw new ModelError(
        `the Anthropic model cannot send a "${item.type ?? 'unknown'}" item; use function and MCP tools only`,
        'model_request_unsupported',
      );
    }
  }
  return { system, messages };
}

function parseArguments(item: Extract<AgentInputItem, { type: 'function_call' }>): unknown {
  try {
    return item.arguments ? JSON.parse(item.arguments) : {};
  } catch (cause) {
    throw new ModelError(
      `tool call ${item.name} (${item.callId}) has arguments that are not JSON: ${item.arguments}`,
      'model_request_invalid',
      { cause },
    );
  }
}

type CallResult = Extract<AgentInputItem, { type: 'function_call_result' }>['output'];

function resultText(output: CallResult): string {
  if (typeof output === 'string') return output;
  const parts = Array.isArray(output) ? output : [output];
  return parts.map((part) => ('text' in part ? part.text : JSON.stringify(part))).join('\n');
}

type UserItem = Extract<AgentInputItem, { role: 'user' }>;
type AssistantItem = Extract<AgentInputItem, { role: 'assistant' }>;

function userBlocks(content: UserItem['content']): ContentBlock[] {
  if (typeof content === 'string') return content ? [{ type: 'text', text: content }] : [];
  return content.map((part): ContentBlock => {
    if (part.type === 'input_text') return { type: 'text', text: part.text };
    if (part.type === 'input_image' && typeof part.image === 'string') return imageBlock(part.image);
    throw new ModelError(
      `the Anthropic model cannot send ${part.type} content; send text or an image URL`,
      'model_request_unsupported',
    );
  });
}

function imageBlock(image: string): Anthropic.ImageBlockParam {
  const data = /^data:(image\/(?:png|jpeg|gif|webp));base64,(.*)$/s.exec(image);
  if (data)
    return { type: 'image', source: { type: 'base64', media_type: dataType(data[1]!), data: data[2]! } };
  return { type: 'image', source: { type: 'url', url: image } };
}

function dataType(mediaType: string): Anthropic.Base64ImageSource['media_type'] {
  return mediaType as Anthropic.Base64ImageSource['media_type'];
}

function assistantBlocks(content: AssistantItem['content']): ContentBlock[] {
  return content.flatMap((part): ContentBlock[] => {
    if (part.type === 'output_text') return part.text ? [{ type: 'text', text: part.text }] : [];
    if (part.type === 'refusal') return [{ type: 'text', text: part.refusal }];
    return [];
  });
}
