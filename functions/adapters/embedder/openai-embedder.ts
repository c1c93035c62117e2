import OpenAI from 'openai';
import { CLIENT_DEFAULTS, type ProviderClientOptions } from '../models/client-options.ts';
import {
  EMBEDDING_DIMENSIONS,
  EmbeddingError,
  type EmbedOptions,
  type Embedder,
} from '../../ports/embedder.ts';

export const OPENAI_EMBEDDING_MODEL = 'text-embedding-3-small';

export interface OpenAIEmbedderOptions extends ProviderClientOptions {
  model?: string;
  /** Texts per request. OpenAI takes up to 2048; 100 keeps one request well under its token cap. */
  batchSize?: number;
}

/**
 * OpenAI embeddings (text-embedding-3-small, 1536 dimensions), batched. The client retries
 * 408/409/429/5xx and connection errors with backoff, honouring retry-after.
 *
 * @example
 * const embedder = new OpenAIEmbedder({ apiKey: process.env.OPENAI_API_KEY });
 * const [vector] = await embedder.embed(['My favourite colour is teal']);
 */
export class OpenAIEmbedder implements Embedder {
  readonly model: string;
  readonly dimensions = EMBEDDING_DIMENSIONS;
  private readonly client: OpenAI;
  private readonly batchSize: number;

  constructor(options: OpenAIEmbedderOptions = {}) {
    this.model = options.model ?? OPENAI_EMBEDDING_MODEL;
    this.batchSize = options.batchSize ?? 100;
    this.client = new OpenAI({
      apiKey: options.apiKey,
      baseURL: options.baseURL,
      maxRetries: options.maxRetries ?? CLIENT_DEFAULTS.maxRetries,
      timeout: options.timeoutMs ?? CLIENT_DEFAULTS.timeoutMs,
    });
  }

  async embed(texts: readonly string[], options: EmbedOptions = {}): Promise<number[][]> {
    const out: number[][] = [];
    for (let i = 0; i < texts.length; i += this.batchSize) {
      const batch = texts.slice(i, i + this.batchSize);
      const response = await this.client.embeddings
        .create(
          { model: this.model, input: batch, dimensions: this.dimensions, encoding_format: 'float' },
          {
            ...(options.signal ? { signal: options.signal } : {}),
            ...(options.maxRetries === undefined ? {} : { maxRetries: options.maxRetries }),
          },
        )
        .catch((error: unknown) => {
          throw describe(error, this.model);
        });
      const vectors = [...response.data].sort((a, b) => a.index - b.index).map((d) => d.embedding);
      if (vectors.length !== batch.length || vectors.some((v) => v.length !== this.dimensions)) {
        throw new EmbeddingError(
          `${this.model} returned ${vectors.length} embeddings of ${vectors[0]?.length ?? 0} numbers for ${batch.length} texts; expected ${this.dimensions} each`,
          'embedding_shape',
        );
      }
      out.push(...vectors);
    }
    return out;
  }
}

function describe(error: unknown, model: string): unknown {
  if (!(error instanceof OpenAI.APIError)) return error;
  if (error.status === 401) {
    return new EmbeddingError(
      `OpenAI rejected OPENAI_API_KEY for embeddings (401): set a valid key, or unset it for full-text recall`,
      'embedding_auth',
      { cause: error },
    );
  }
  if (error.status === 404 || error.status === 400) {
    return new EmbeddingError(
      `embeddings with ${model} failed (${error.status}): ${error.message}`,
      'embedding_request',
      {
        cause: error,
      },
    );
  }
  return new EmbeddingError(`embeddings with ${model} failed: ${error.message}`, 'embedding_failed', {
    cause: error,
  });
}
