import { eng } from 'stopword';
import { DIMENSIONS, seeded } from './memory-data.ts';
import type { RecallData } from './recall-data.ts';

/**
 * Fake embedders with known vectors for the recall bench, so hybrid recall is measured without a
 * model. `words` is a bag of words hashed to random directions (stop words left out, as a real
 * embedder does not place texts by their function words): it knows no synonyms, a weak embedder. `meaning` adds what the generator knows: a direction per topic and per event, so a
 * turn and a question about the same event point alike even when they share no word, as a good
 * embedder's vectors would (with the words still in, and noise from them).
 */
export type FakeKind = 'words' | 'meaning';

const STOP = new Set(eng);

export class FakeVectors {
  private readonly directions = new Map<string, Float32Array>();

  constructor(private readonly kind: FakeKind) {}

  /** A memory's vector: its words, and for `meaning` its event's and topic's directions. */
  turn(text: string, about?: { event?: string; topic?: string }): number[] {
    return this.vector(text, about);
  }

  question(text: string, about: { event: string; topic: string }): number[] {
    return this.vector(text, about);
  }

  private vector(text: string, about?: { event?: string; topic?: string }): number[] {
    const v = new Float32Array(DIMENSIONS);
    const words = (text.toLowerCase().match(/[a-z0-9']+/g) ?? []).filter((w) => !STOP.has(w));
    for (const w of words) add(v, this.direction(`w:${w}`), 1 / Math.sqrt(words.length || 1));
    if (this.kind === 'meaning' && about?.topic) add(v, this.direction(`t:${about.topic}`), 0.6);
    if (this.kind === 'meaning' && about?.event) add(v, this.direction(`e:${about.event}`), 0.9);
    let norm = 0;
    for (const x of v) norm += x * x;
    norm = Math.sqrt(norm) || 1;
    return Array.from(v, (x) => x / norm);
  }

  private direction(key: string): Float32Array {
    let d = this.directions.get(key);
    if (!d) {
      let h = 2166136261;
      for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 16777619);
      const random = seeded(h >>> 0);
      d = new Float32Array(DIMENSIONS);
      let norm = 0;
      for (let i = 0; i < DIMENSIONS; i++) {
        d[i] = random() * 2 - 1;
        norm += d[i]! * d[i]!;
      }
      norm = Math.sqrt(norm);
      for (let i = 0; i < DIMENSIONS; i++) d[i]! /= norm;
      this.directions.set(key, d);
    }
    return d;
  }
}

function add(v: Float32Array, d: Float32Array, weight: number): void {
  for (let i = 0; i < v.length; i++) v[i]! += d[i]! * weight;
}

/** The vector of row `i` of the bench's store (turns first, then knowledge, as loadStore stores them). */
export function rowVectors(data: RecallData, fake: FakeVectors): (text: string, i: number) => number[] {
  return (text, i) => {
    const turn = data.turns[i];
    return fake.turn(
      text,
      turn
        ? { ...(turn.event ? { event: turn.event } : {}), ...(turn.topic ? { topic: turn.topic } : {}) }
        : {},
    );
  };
}
