import type { SqlStore } from '../../ports/sql.ts';
import { CachedEmbedder } from './cached-embedder.ts';
import { EMBEDDING_DIMENSIONS, EmbeddingError, type Embedder } from '../../ports/embedder.ts';
import { OpenAIEmbedder } from './openai-embedder.ts';

/**
 * The embedder the environment allows, cached in the store; none (full-text recall) otherwise,
 * or with CARRIER_EMBEDDINGS=off.
 *   - OPENAI_API_KEY: OpenAI's embeddings (at OPENAI_BASE_URL when that is set too);
 *   - OPENAI_BASE_URL with CARRIER_EMBEDDING_MODEL and no key: any OpenAI-compatible server, such
 *     as one on the same machine (a chat server need not serve embeddings, so the model is asked for);
 *   - CARRIER_EMBEDDING_MODEL (default text-embedding-3-small) and CARRIER_EMBEDDING_DIMENSIONS
 *     (how many numbers it returns, 1 to 1536, default 1536).
 *
 * @example const embedder = selectEmbedder(process.env, store); // undefined without a key
 */
export function selectEmbedder(
  env: Record<string, string | undefined>,
  store: SqlStore,
): Embedder | undefined {
  if (env.CARRIER_EMBEDDINGS === 'off') return undefined;
  if (!env.OPENAI_API_KEY && !(env.OPENAI_BASE_URL && env.CARRIER_EMBEDDING_MODEL)) return undefined;
  return new CachedEmbedder(
    new OpenAIEmbedder({
      ...(env.OPENAI_API_KEY ? { apiKey: env.OPENAI_API_KEY } : {}),
      ...(env.OPENAI_BASE_URL ? { baseURL: env.OPENAI_BASE_URL } : {}),
      ...(env.CARRIER_EMBEDDING_MODEL ? { model: env.CARRIER_EMBEDDING_MODEL } : {}),
      dimensions: dimensions(env.CARRIER_EMBEDDING_DIMENSIONS),
    }),
    store,
  );
}

function dimensions(value: string | undefined): number {
  if (value === undefined || value === '') return EMBEDDING_DIMENSIONS;
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n < 1 || n > EMBEDDING_DIMENSIONS) {
    throw new EmbeddingError(
      `CARRIER_EMBEDDING_DIMENSIONS=${value} is not a size from 1 to ${EMBEDDING_DIMENSIONS}: set it to how many numbers the model returns (nomic-embed-text: 768), or unset it for 1536`,
      'embedding_config',
    );
  }
  return n;
}
