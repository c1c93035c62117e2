import { createHash } from 'node:crypto';
import type { PgliteStore } from '#core/adapters/store/pglite.ts';

/**
 * Synthetic memories for the memory bench: chat-like messages over a Zipf-shaped vocabulary,
 * per-user rows and shared knowledge, and 1536-d unit vectors, all from one seed so runs
 * compare. Rows go in by binary COPY (the fast bulk path); what the bench times is the
 * runtime's own SQL functions.
 */
export const DIMENSIONS = 1536;

export function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    // mulberry32
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SYLLABLES = 'ka lo mi ne ru ta shi po ve da gu ri so ne la mo ki pa zu te'.split(' ');
const COMMON = 'the a to and of I you it is in my that for was on with me but have this'.split(' ');

/** A vocabulary of made-up words, most frequent first. */
export function vocabulary(size: number, random: () => number): string[] {
  const words = new Set<string>();
  while (words.size < size) {
    const n = 2 + Math.floor(random() * 3);
    words.add(Array.from({ length: n }, () => SYLLABLES[Math.floor(random() * SYLLABLES.length)]).join(''));
  }
  return [...words];
}

/** A word drawn with Zipf-like frequencies: a few words everywhere, most rare. */
export function zipfWord(words: string[], random: () => number): string {
  return words[Math.min(words.length - 1, Math.floor(Math.exp(random() * Math.log(words.length + 1)) - 1))]!;
}

export function sentence(
  words: string[],
  random: () => number,
  length = 8 + Math.floor(random() * 12),
): string {
  return Array.from({ length }, () =>
    random() < 0.35 ? COMMON[Math.floor(random() * COMMON.length)]! : zipfWord(words, random),
  ).join(' ');
}

export function unitVector(random: () => number): Float32Array {
  const v = new Float32Array(DIMENSIONS);
  let norm = 0;
  for (let i = 0; i < DIMENSIONS; i++) {
    v[i] = random() * 2 - 1;
    norm += v[i]! * v[i]!;
  }
  norm = Math.sqrt(norm);
  for (let i = 0; i < DIMENSIONS; i++) v[i]! /= norm;
  return v;
}

export interface BenchMemory {
  agentId: string;
  userId: string | null;
  roomId: string | null;
  type: string;
  text: string;
  createdAt: Date;
  embedding?: Float32Array;
}

/**
 * `total` memories of one agent: `sharedShare` of them shared knowledge, the rest messages of
 * `users` users in one room each.
 */
export function* memories(options: {
  total: number;
  users: number;
  sharedShare: number;
  words: string[];
  random: () => number;
  vectors: boolean;
}): Generator<BenchMemory> {
  const { total, users, words, random } = options;
  const shared = Math.round(total * options.sharedShare);
  const start = Date.parse('2024-01-01T00:00:00Z');
  for (let i = 0; i < total; i++) {
    const isShared = i < shared;
    const user = `user${i % users}`;
    yield {
      agentId: 'bench',
      userId: isShared ? null : user,
      roomId: isShared ? null : `room-${user}`,
      type: isShared ? 'knowledge' : 'message',
      text: sentence(words, random, isShared ? 40 + Math.floor(random() * 40) : undefined),
      createdAt: new Date(start + i * 60_000),
      ...(options.vectors ? { embedding: unitVector(random) } : {}),
    };
  }
}

const COPY_SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
const PG_EPOCH_MS = Date.parse('2000-01-01T00:00:00Z');

/**
 * Rows in Postgres' binary COPY format for
 * `memories (agent_id, user_id, room_id, type, content, embedding, content_sha256, created_at)`.
 */
export function copyBinary(rows: BenchMemory[]): Uint8Array {
  const parts: Buffer[] = [COPY_SIGNATURE, Buffer.alloc(8)];
  const field = (value: Buffer | null) => {
    const length = Buffer.alloc(4);
    length.writeInt32BE(value === null ? -1 : value.length);
    parts.push(length);
    if (value) parts.push(value);
  };
  const text = (s: string | null) => (s === null ? null : Buffer.from(s, 'utf8'));
  for (const row of rows) {
    const count = Buffer.alloc(2);
    count.writeInt16BE(8);
    parts.push(count);
    field(text(row.agentId));
    field(text(row.userId));
    field(text(row.roomId));
    field(text(row.type));
    // jsonb binary: a version byte, then the JSON text.
    field(Buffer.concat([Buffer.from([1]), Buffer.from(JSON.stringify({ text: row.text }), 'utf8')]));
    field(row.embedding ? vectorBinary(row.embedding) : null);
    field(text(createHash('sha256').update(row.text).digest('hex')));
    const micros = Buffer.alloc(8);
    micros.writeBigInt64BE(BigInt(row.createdAt.getTime() - PG_EPOCH_MS) * 1000n);
    field(micros);
  }
  const trailer = Buffer.alloc(2);
  trailer.writeInt16BE(-1);
  parts.push(trailer);
  return Buffer.concat(parts);
}

/** pgvector's binary form: dimensions (int16), unused (int16), then float4s, big-endian. */
function vectorBinary(v: Float32Array): Buffer {
  const b = Buffer.alloc(4 + v.length * 4);
  b.writeInt16BE(v.length, 0);
  for (let i = 0; i < v.length; i++) b.writeFloatBE(v[i]!, 4 + i * 4);
  return b;
}

const COPY = `copy memories (agent_id, user_id, room_id, type, content, embedding, content_sha256, created_at)
  from '/dev/blob' with (format binary)`;

/** Stores `rows` by binary COPY, 1,000 a batch: the bulk path benches load their data with. */
export async function copyMemories(store: PgliteStore, rows: Iterable<BenchMemory>): Promise<void> {
  let batch: BenchMemory[] = [];
  for (const m of rows) {
    batch.push(m);
    if (batch.length === 1_000) {
      await store.db.query(COPY, [], { blob: new Blob([copyBinary(batch)]) });
      batch = [];
    }
  }
  if (batch.length) await store.db.query(COPY, [], { blob: new Blob([copyBinary(batch)]) });
}
