import { Usage, type Model, type ModelRequest, type ModelResponse } from '@openai/agents';
import type { ResolvedModel } from '#core/ports/model.ts';

export interface KnownUsage {
  inputTokens: number;
  cachedInputTokens?: number;
  outputTokens: number;
}

/**
 * A scripted model that reports a known token usage on every call, under a priced model name,
 * so a test knows to the micro-dollar what each turn costs. It yields once before answering,
 * so concurrent turns really overlap.
 */
export class PricedModel implements Model {
  calls = 0;
  constructor(
    private readonly usage: KnownUsage,
    private readonly name = 'gpt-4.1-mini',
  ) {}

  async getResponse(request: ModelRequest): Promise<ModelResponse> {
    this.calls++;
    await new Promise((resolve) => setImmediate(resolve));
    const { inputTokens, outputTokens, cachedInputTokens = 0 } = this.usage;
    return {
      usage: new Usage({
        requests: 1,
        inputTokens,
        outputTokens,
        totalTokens: inputTokens + outputTokens,
        inputTokensDetails: { cached_tokens: cachedInputTokens },
      }),
      output: [
        {
          type: 'message',
          role: 'assistant',
          status: 'completed',
          content: [
            {
              type: 'output_text',
              text: `priced answer to ${typeof request.input === 'string' ? request.input : 'a message'}`,
            },
          ],
        },
      ],
    };
  }

  // eslint-disable-next-line require-yield
  async *getStreamedResponse(): AsyncIterable<never> {
    throw new Error('PricedModel does not stream');
  }

  resolved(): ResolvedModel {
    return { model: this, provider: 'openai', name: this.name };
  }
}
