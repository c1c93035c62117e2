import { abortableDelay } from '../../abortable-delay.ts';
import type {
  AgentInputItem,
  ModelResponse,
  StreamEvent,
  StreamEventResponseCompleted,
} from '@openai/agents';

/**
 * A finished response as the stream events the agents SDK reads: started, the assistant text in
 * word-sized deltas (each after `delayMs`, if set), then done with the whole response.
 *
 * @example
 * async *getStreamedResponse(request) { yield* replayStream(await this.getResponse(request), 'offline'); }
 */
export async function* replayStream(
  response: ModelResponse,
  fallbackId: string,
  options: { delayMs?: number; signal?: AbortSignal } = {},
): AsyncIterable<StreamEvent> {
  yield { type: 'response_started' };
  for (const delta of wordChunks(response.output)) {
    if (options.delayMs) await abortableDelay(options.delayMs, options.signal);
    yield { type: 'output_text_delta', delta };
  }
  yield responseDone(response, fallbackId);
}

/**
 * The stream's last event: the whole response, as the SDK reads it once the deltas are through.
 *
 * @example
 * yield responseDone({ output, usage, responseId: message.id }, 'anthropic');
 */
export function responseDone(response: ModelResponse, fallbackId: string): StreamEvent {
  const { requests, inputTokens, outputTokens, totalTokens } = response.usage;
  return {
    type: 'response_done',
    response: {
      id: response.responseId ?? fallbackId,
      // The SDK's stream schema types output items more narrowly than ModelResponse does.
      output: response.output as StreamEventResponseCompleted['response']['output'],
      usage: { requests, inputTokens, outputTokens, totalTokens },
    },
  };
}

/** The assistant text of `output` as words with their spaces: concatenated, the text itself. */
export function wordChunks(output: AgentInputItem[]): string[] {
  const chunks: string[] = [];
  for (const item of output) {
    if (item.type !== 'message' || item.role !== 'assistant' || typeof item.content === 'string') continue;
    for (const part of item.content) {
      if (part.type === 'output_text')
        chunks.push(...(part.text.match(/\s*\S+\s*/g) ?? (part.text ? [part.text] : [])));
    }
  }
  return chunks;
}
