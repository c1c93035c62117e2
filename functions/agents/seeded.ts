import { createHash } from 'node:crypto';

/** A small deterministic PRNG (mulberry32) seeded from a string, so prompts replay exactly. */
export function seededRandom(seed: string): () => number {
  let state = createHash('sha256').update(seed).digest().readUInt32LE(0);
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Picks up to `count` items in a seeded order; the same seed always picks the same items. */
export function sample<T>(items: readonly T[] | undefined, count: number, random: () => number): T[] {
  const pool = [...(items ?? [])];
  for (let i = pool.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return pool.slice(0, count);
}
