import { CHARACTER_ID } from '#core/characters/character-id.ts';
import { CarrierError } from '#core/errors.ts';
import { MEMORY_TYPES } from '#core/memory/memory-input.ts';
import type { MemoryType, RecalledMemory } from '#core/ports/memory.ts';

// The memory command's argument checks and output lines.

export function checkId(id: string): void {
  if (!CHARACTER_ID.test(id)) {
    throw new CarrierError(
      `"${id}" is not a character id: lower-case letters, digits, - and _`,
      'character_id',
    );
  }
}

export function checkType(type: string): MemoryType {
  if ((MEMORY_TYPES as readonly string[]).includes(type)) return type as MemoryType;
  throw new CarrierError(`--type ${type}: expected one of ${MEMORY_TYPES.join(', ')}`, 'memory_type');
}

export function checkLimit(limit: string): number {
  const n = Number(limit);
  if (!Number.isInteger(n) || n < 1 || n > 1000) {
    throw new CarrierError(`--limit ${limit}: expected a whole number from 1 to 1000`, 'memory_limit');
  }
  return n;
}

export function parseJson(text: string, flag: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new CarrierError(`${flag}: not JSON: ${text}`, 'memory_input_invalid');
  }
}

export function describe(m: {
  type: string;
  userId?: string | null;
  roomId?: string | null;
  createdAt: string;
  text: string;
  speaker?: RecalledMemory['speaker'];
}) {
  const said =
    m.speaker && (m.speaker.role === 'assistant' ? 'the character' : (m.speaker.name ?? 'the user'));
  const who = [m.userId && `user ${m.userId}`, m.roomId && `room ${m.roomId}`, said && `said by ${said}`]
    .filter(Boolean)
    .join(', ');
  const text = m.text.replace(/\s+/g, ' ');
  return `${m.createdAt.slice(0, 19)}  ${m.type.padEnd(9)} ${who ? `(${who}) ` : ''}${text.length > 100 ? `${text.slice(0, 99)}…` : text}`;
}

export function why(m: RecalledMemory): string {
  const parts = [
    m.why.fullTextRank !== undefined && `full-text #${m.why.fullTextRank} ${m.why.fullText?.toFixed(3)}`,
    m.why.vectorRank !== undefined && `vector #${m.why.vectorRank} ${m.why.vector?.toFixed(3)}`,
  ].filter(Boolean);
  return `[${parts.join(', ')}]`;
}
