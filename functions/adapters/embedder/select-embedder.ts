import type { SqlStore } from '../../ports/sql.ts';
import { CachedEmbedder } from './cached-embedder.ts';
import type { Embedder } from '../../ports/embedder.ts';
import { OpenAIEmbedder } from './openai-embedder.ts';

/**
 * The embedder the environment allows: OpenAI's when OPENAI_API_KEY is set (at OPENAI_BASE_URL
 * when that is set too), cached in the store; none otherwise, or with CARRIER_EMBEDDINGS=off,
 * and recall is full-text only.
 *
 * @example const embedder = selectEmbedder(process.env, store); // undefined without a key
 */
export function selectEmbedder(
  env: Record<string, string | undefined>,
  store: SqlStore,
): Embedder | undefined {
  if (!env.OPENAI_API_KEY || env.CARRIER_EMBEDDINGS === 'off') return undefined;
  return new CachedEmbedder(
    new OpenAIEmbedder({
      apiKey: env.OPENAI_API_KEY,
      ...(env.OPENAI_BASE_URL ? { baseURL: env.OPENAI_BASE_URL } : {}),
    }),
    store,
  );
}
