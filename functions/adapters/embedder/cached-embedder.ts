import { sha256 } from '../../memory/content-hash.ts';
import type { SqlStore } from '../../ports/sql.ts';
import type { EmbedOptions, Embedder } from '../../ports/embedder.ts';
import { Lru } from './lru.ts';
import { SqlVector, SqlVectorList } from '../../ports/sql-vector.ts';
import { parseVector } from '../store/vector-text.ts';

/**
 * An embedder that asks the wrapped one only for texts it has never seen: first an in-process
 * LRU, then `embedding_cache` in the store (by model and sha256 of the text), then the service,
 * whose answers are written back to both.
 *
 * @example
 * const embedder = new CachedEmbedder(new OpenAIEmbedder({ apiKey }), store);
 */
export class CachedEmbedder implements Embedder {
  readonly model: string;
  readonly dimensions: number;
  private readonly lru: Lru<string, number[]>;
  /** Texts sent to the wrapped embedder: what the cache could not answer. */
  misses = 0;

  constructor(
    private readonly inner: Embedder,
    private readonly store: SqlStore,
    options: { capacity?: number } = {},
  ) {
    this.model = inner.model;
    this.dimensions = inner.dimensions;
    this.lru = new Lru(options.capacity ?? 2_000);
  }

  async embed(texts: readonly string[], options?: EmbedOptions): Promise<number[][]> {
    const hashes = texts.map(sha256);
    const found = new Map<string, number[]>();
    for (const h of hashes) {
      const hit = this.lru.get(h);
      if (hit) found.set(h, hit);
    }
    const unknown = [...new Set(hashes.filter((h) => !found.has(h)))];
    if (unknown.length) {
      const rows = await this.store.rpc<{ sha256: string; embedding: string }>('embedding_cache_get', {
        p_model: this.model,
        p_hashes: unknown,
      });
      for (const r of rows) found.set(r.sha256, parseVector(r.embedding));
    }
    const missing = [...new Set(hashes.filter((h) => !found.has(h)))];
    if (missing.length) {
      const textOf = new Map(hashes.map((h, i) => [h, texts[i]!]));
      const vectors = await this.inner.embed(
        missing.map((h) => textOf.get(h)!),
        options,
      );
      this.misses += missing.length;
      missing.forEach((h, i) => found.set(h, vectors[i]!));
      await this.store.rpc('embedding_cache_put', {
        p_model: this.model,
        p_hashes: missing,
        p_embeddings: new SqlVectorList(missing.map((_, i) => new SqlVector(vectors[i]!))),
      });
    }
    for (const [h, v] of found) this.lru.set(h, v);
    return hashes.map((h) => found.get(h)!);
  }
}
