import { CarrierError } from '../errors.ts';

/** Turns texts into vectors of `dimensions` numbers, one per text, in order. */
export interface Embedder {
  /** Names the vector space: vectors of different models are never compared. */
  readonly model: string;
  readonly dimensions: number;
  embed(texts: readonly string[], options?: EmbedOptions): Promise<number[][]>;
}

/** Per-call limits, for a caller that cannot wait as long as the embedder would (recall). */
export interface EmbedOptions {
  /** Gives up when it aborts. */
  signal?: AbortSignal;
  /** Attempts after the first; the embedder's own default when omitted. */
  maxRetries?: number;
}

/** The embedding service refused or failed: a bad key, a bad base URL, a wrong model. */
export class EmbeddingError extends CarrierError {
  override name = 'EmbeddingError';
}

/** The dimensions of `memories.embedding` (text-embedding-3-small). */
export const EMBEDDING_DIMENSIONS = 1536;
