import type { Model, ModelRequest, ModelResponse, StreamEvent } from '@openai/agents';

/**
 * A model whose SDK loads at its first request: a process whose characters answer with another
 * provider, or offline, never loads it (the Anthropic SDK is a megabyte of code that `carrier
 * chat`, `npm start` and every Lambda would otherwise load at start). A failed load is tried
 * again at the next request.
 *
 * @example
 * const model = new LazyModel(async () => (await import('./anthropic.ts')).anthropicModel(name));
 */
export class LazyModel implements Model {
  private loading: Promise<Model> | undefined;

  constructor(private readonly load: () => Promise<Model>) {}

  async getResponse(request: ModelRequest): Promise<ModelResponse> {
    return (await this.model()).getResponse(request);
  }

  async *getStreamedResponse(request: ModelRequest): AsyncIterable<StreamEvent> {
    yield* (await this.model()).getStreamedResponse(request);
  }

  private model(): Promise<Model> {
    this.loading ??= this.load().catch((error: unknown) => {
      this.loading = undefined;
      throw error;
    });
    return this.loading;
  }
}
