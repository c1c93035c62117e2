import type { Embedder } from '#core/ports/embedder.ts';
import { axisVector, DIMENSIONS } from './vectors.ts';

/**
 * Known vectors for known texts: a text containing one of `topics`' words points along that
 * topic's axis, anything else along the last axis. Records what it was asked.
 */
export class FakeEmbedder implements Embedder {
  readonly model = 'fake-embedding';
  readonly dimensions = DIMENSIONS;
  readonly calls: string[][] = [];
  failing = false;

  constructor(private readonly topics: Record<string, number>) {}

  async embed(texts: readonly string[]): Promise<number[][]> {
    if (this.failing) throw new Error('embedder down');
    this.calls.push([...texts]);
    return texts.map((text) => {
      const topic = Object.keys(this.topics).find((word) => text.toLowerCase().includes(word));
      return axisVector(topic === undefined ? DIMENSIONS - 1 : this.topics[topic]!);
    });
  }
}
