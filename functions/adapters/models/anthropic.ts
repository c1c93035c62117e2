import Anthropic from '@anthropic-ai/sdk';
import {
  Usage,
  type AgentOutputItem,
  type Model,
  type ModelRequest,
  type ModelResponse,
  type StreamEvent,
} from '@openai/agents';
import { toMessagesRequest } from './anthropic-request.ts';
import { responseDone } from './replay-stream.ts';
import { CLIENT_DEFAULTS, type ProviderClientOptions } from './client-options.ts';

/** `baseURL` is a Messages API host without `/v1`, e.g. a loopback fake `http://127.0.0.1:8787`. */
export interface AnthropicModelOptions extends ProviderClientOptions {
  /** `max_tokens` when the agent's model settings give none; the Messages API requires one. Default 4096. */
  maxTokens?: number;
}

/**
 * A Claude model for the agents SDK, over the Messages API with tool use and prompt caching.
 *
 * @example
 * const model = anthropicModel('claude-sonnet-5-5', { apiKey: process.env.ANTHROPIC_API_KEY });
 * await runTurn(input, { model: { model, provider: 'anthropic', name: 'claude-sonnet-5-5' }, memory });
 */
export function anthropicModel(name: string, options: AnthropicModelOptions = {}): Model {
  const client = new Anthropic({
    apiKey: options.apiKey ?? null,
    baseURL: options.baseURL ?? null,
    maxRetries: options.maxRetries ?? CLIENT_DEFAULTS.maxRetries,
    timeout: options.timeoutMs ?? CLIENT_DEFAULTS.timeoutMs,
  });
  return new AnthropicModel(client, name, options.maxTokens ?? 4096);
}

export class AnthropicModel implements Model {
  constructor(
    private readonly client: Anthropic,
    private readonly name: string,
    private readonly maxTokens: number,
  ) {}

  async getResponse(request: ModelRequest): Promise<ModelResponse> {
    const body = toMessagesRequest(request, this.name, this.maxTokens);
    const { data: message, request_id } = await this.client.messages
      .create(body, request.signal ? { signal: request.signal } : {})
      .withResponse();
    return {
      output: toOutputItems(message),
      usage: toUsage(message.usage),
      responseId: message.id,
      ...(request_id ? { requestId: request_id } : {}),
    };
  }

  /**
   * The Messages API's own stream: each text delta as it arrives, then the whole message (its
   * tool calls and usage) as the final event, built as getResponse builds it.
   */
  async *getStreamedResponse(request: ModelRequest): AsyncIterable<StreamEvent> {
    const body = toMessagesRequest(request, this.name, this.maxTokens);
    const stream = this.client.messages.stream(body, request.signal ? { signal: request.signal } : {});
    yield { type: 'response_started' };
    for await (const event of stream) {
      if (event.type === 'content_block_delta' && event.delta.type === 'text_delta')
        yield { type: 'output_text_delta', delta: event.delta.text };
    }
    const message = await stream.finalMessage();
    yield responseDone(
      { output: toOutputItems(message), usage: toUsage(message.usage), responseId: message.id },
      'anthropic',
    );
  }
}

/** Text blocks become one assistant message; each tool_use block a function call the SDK runs. */
function toOutputItems(message: Anthropic.Message): AgentOutputItem[] {
  const text = message.content
    .filter((block): block is Anthropic.TextBlock => block.type === 'text')
    .map((block) => block.text)
    .join('');
  const output: AgentOutputItem[] = [];
  if (text) {
    output.push({
      type: 'message',
      role: 'assistant',
      id: message.id,
      status: message.stop_reason === 'max_tokens' ? 'incomplete' : 'completed',
      content: [{ type: 'output_text', text }],
    });
  }
  for (const block of message.content) {
    if (block.type !== 'tool_use') continue;
    output.push({
      type: 'function_call',
      callId: block.id,
      name: block.name,
      arguments: JSON.stringify(block.input ?? {}),
      status: 'completed',
    });
  }
  return output;
}

/**
 * Anthropic counts cache reads and writes apart from `input_tokens`; the SDK's Usage, like
 * OpenAI's, counts every prompt token as input and names the cached share in the details.
 */
function toUsage(usage: Anthropic.Usage): Usage {
  const cacheRead = usage.cache_read_input_tokens ?? 0;
  const cacheWrite = usage.cache_creation_input_tokens ?? 0;
  const inputTokens = usage.input_tokens + cacheRead + cacheWrite;
  return new Usage({
    requests: 1,
    inputTokens,
    outputTokens: usage.output_tokens,
    totalTokens: inputTokens + usage.output_tokens,
    inputTokensDetails: { cached_tokens: cacheRead, cache_creation_tokens: cacheWrite },
  });
}
