import { Usage, type Model, type ModelRequest, type ModelResponse, type StreamEvent } from '@openai/agents';
import { replayStream } from '#core/adapters/models/replay-stream.ts';
import type { ResolvedModel } from '#core/ports/model.ts';

/** An error shaped like a provider's HTTP error (the SDKs put the status on `status`). */
export function httpError(status: number, message = `model answered ${status}`): Error {
  return Object.assign(new Error(message), { name: 'APIError', status });
}

/**
 * A zero-latency model that answers `echo: <user text>`, so tests can tell which message a
 * reply belongs to. `fault` runs before each call and may throw (429, 5xx) or wait.
 */
export class EchoModel implements Model {
  calls = 0;
  constructor(private readonly fault?: (call: number, text: string) => void | Promise<void>) {}

  async getResponse(request: ModelRequest): Promise<ModelResponse> {
    this.calls++;
    const text = lastUserText(request);
    await this.fault?.(this.calls, text);
    return {
      usage: new Usage({ requests: 1, inputTokens: 10, outputTokens: 5, totalTokens: 15 }),
      output: [
        {
          type: 'message',
          role: 'assistant',
          status: 'completed',
          content: [{ type: 'output_text', text: `echo: ${text}` }],
        },
      ],
    };
  }

  /** The same answer, streamed a word at a time as a provider would. */
  async *getStreamedResponse(request: ModelRequest): AsyncIterable<StreamEvent> {
    yield* replayStream(await this.getResponse(request), 'echo');
  }

  resolved(): ResolvedModel {
    // 'offline': no network, and reflection uses pattern facts instead of asking this model.
    return { model: this, provider: 'offline', name: 'echo' };
  }
}

function lastUserText(request: ModelRequest): string {
  if (typeof request.input === 'string') return request.input;
  for (const item of [...request.input].reverse()) {
    if (item.type === 'message' && item.role === 'user') {
      return typeof item.content === 'string'
        ? item.content
        : item.content.map((c) => ('text' in c ? c.text : '')).join('');
    }
  }
  return '';
}
