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
  /**
   * How many numbers the model returns (default 1536). Shorter vectors are stored padded with
   * zeros, which leaves every cosine as it was; more than 1536 do not fit memories.embedding.
   */
  dimensions?: number;
  /** Texts per request. OpenAI takes up to 2048; 100 keeps one request well under its token cap. */
  batchSize?: number;
}

/**
 * Embeddings from OpenAI or any server speaking its API (`baseURL`), batched: text-embedding-3-small
 * by default, or any model and size up to 1536 numbers. OpenAI's text-embedding-3 models are asked
 * for `dimensions` (they shorten their vectors on request); other servers are not, since many
 * refuse the field, and must return `dimensions` numbers. The client retries 408/409/429/5xx and
 * connection errors with backoff, honouring retry-after.
 *
 * @example
 * const embedder = new OpenAIEmbedder({ apiKey: process.env.OPENAI_API_KEY });
 * const [vector] = await embedder.embed(['My favourite colour is teal']);
 */
export class OpenAIEmbedder implements Embedder {
  /** The model, with its size when not 1536: vectors of different sizes are different spaces. */
  readonly model: string;
  /** What is stored: always the column's 1536. */
  readonly dimensions = EMBEDDING_DIMENSIONS;
  private readonly name: string;
  private readonly returned: number;
  private readonly client: OpenAI;
  private readonly batchSize: number;

  constructor(options: OpenAIEmbedderOptions = {}) {
    this.name = options.model ?? OPENAI_EMBEDDING_MODEL;
    this.returned = options.dimensions ?? EMBEDDING_DIMENSIONS;
    if (!Number.isInteger(this.returned) || this.returned < 1 || this.returned > EMBEDDING_DIMENSIONS) {
      throw new EmbeddingError(
        `embedding dimensions must be a whole number from 1 to ${EMBEDDING_DIMENSIONS}, got ${options.dimensions}: pick a model (or a size, for text-embedding-3) of at most ${EMBEDDING_DIMENSIONS}`,
        'embedding_config',
      );
    }
    this.model = this.returned === EMBEDDING_DIMENSIONS ? this.name : `${this.name}:${this.returned}`;
    this.batchSize = options.batchSize ?? 100;
    this.client = new OpenAI({
      // A compatible server on the machine may want no key; the client insists on one.
      apiKey: options.apiKey ?? 'not-needed',
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
          {
            model: this.name,
            input: batch,
            ...(this.name.startsWith('text-embedding-3') ? { dimensions: this.returned } : {}),
            encoding_format: 'float',
          },
          {
            ...(options.signal ? { signal: options.signal } : {}),
            ...(options.maxRetries === undefined ? {} : { maxRetries: options.maxRetries }),
          },
        )
        .catch((error: unknown) => {
          throw describe(error, this.name);
        });
      const vectors = [...response.data].sort((a, b) => a.index - b.index).map((d) => d.embedding);
      if (vectors.length !== batch.length || vectors.some((v) => v.length !== this.returned)) {
        throw new EmbeddingError(
          `${this.name} returned ${vectors.length} embeddings of ${vectors[0]?.length ?? 0} numbers for ${batch.length} texts; expected ${this.returned} each (set CARRIER_EMBEDDING_DIMENSIONS to the model's size)`,
          'embedding_shape',
        );
      }
      out.push(...vectors.map((v) => (v.length < EMBEDDING_DIMENSIONS ? padded(v) : v)));
    }
    return out;
  }
}

/** Zeros after the model's numbers: the stored vector's cosine with any other is unchanged. */
function padded(v: number[]): number[] {
  return [...v, ...new Array<number>(EMBEDDING_DIMENSIONS - v.length).fill(0)];
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
