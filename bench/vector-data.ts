import { DIMENSIONS, sentence, type BenchMemory } from './memory-data.ts';

/**
 * Embeddings with the shape real ones have: texts about one of `topics` subjects point near
 * that subject's direction (cosine ~0.5–0.8 to it), so nearest neighbours are meaningful and an
 * HNSW index is measured on data like it will index. Uniform random vectors would be the worst
 * case for any index and like no embedder's output.
 */
export class TopicVectors {
  private readonly centroids: Float32Array[];

  constructor(
    topics: number,
    private readonly random: () => number,
  ) {
    this.centroids = Array.from({ length: topics }, () => this.noise(1));
  }

  /** A vector near a random topic (a memory, or a question about it). */
  next(): Float32Array {
    const centroid = this.centroids[Math.floor(this.random() * this.centroids.length)]!;
    const noise = this.noise(0.9);
    const v = new Float32Array(DIMENSIONS);
    for (let i = 0; i < DIMENSIONS; i++) v[i] = centroid[i]! + noise[i]!;
    return normalise(v);
  }

  private noise(scale: number): Float32Array {
    const v = new Float32Array(DIMENSIONS);
    for (let i = 0; i < DIMENSIONS; i++) v[i] = (this.random() * 2 - 1) * scale;
    return normalise(v);
  }
}

function normalise(v: Float32Array): Float32Array {
  let norm = 0;
  for (const x of v) norm += x * x;
  norm = Math.sqrt(norm);
  for (let i = 0; i < v.length; i++) v[i]! /= norm;
  return v;
}

/**
 * `total` memories of agent 'bench' with embeddings: a tenth shared knowledge, the rest messages
 * of `users` users, about a hundred each; texts as the memory bench makes them (Zipf words).
 */
export function* vectorMemories(
  total: number,
  users: number,
  vectors: TopicVectors,
  words: string[],
  random: () => number,
): Generator<BenchMemory> {
  const shared = Math.round(total / 10);
  const start = Date.parse('2024-01-01T00:00:00Z');
  for (let i = 0; i < total; i++) {
    const user = `user${i % users}`;
    yield {
      agentId: 'bench',
      userId: i < shared ? null : user,
      roomId: i < shared ? null : `room-${user}`,
      type: i < shared ? 'knowledge' : 'message',
      text: sentence(words, random, i < shared ? 40 + Math.floor(random() * 40) : undefined),
      createdAt: new Date(start + i * 60_000),
      embedding: vectors.next(),
    };
  }
}
