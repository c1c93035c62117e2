import type { MemoryType, RecalledMemory } from '../../ports/memory.ts';
import { isoTime, jsonObject, optionalNumber } from '../../ports/sql-rows.ts';

type Row = Record<string, unknown>;

/** The columns every memory row has, whichever SQL function returned it. */
export function memoryFields(r: Row) {
  return {
    id: String(r.id),
    type: r.type as MemoryType,
    text: String(r.text),
    userId: (r.user_id as string | null) ?? null,
    roomId: (r.room_id as string | null) ?? null,
    createdAt: isoTime(r.created_at),
    metadata: jsonObject(r.metadata),
  };
}

/** A recalled row with its score and why it ranked (full text, vector, their ranks). */
export function toRecalled(r: Row): RecalledMemory {
  const why: RecalledMemory['why'] = {};
  const fullText = optionalNumber(r.full_text);
  const vector = optionalNumber(r.vector);
  const fullTextRank = optionalNumber(r.full_text_rank);
  const vectorRank = optionalNumber(r.vector_rank);
  if (fullText !== undefined) why.fullText = fullText;
  if (fullTextRank !== undefined) why.fullTextRank = fullTextRank;
  if (vector !== undefined) why.vector = vector;
  if (vectorRank !== undefined) why.vectorRank = vectorRank;
  return {
    ...memoryFields(r),
    ...speaker(r),
    score: optionalNumber(r.score) ?? 0,
    why,
  };
}

/** Who said a message (the role and name memory_search returns); nothing for other memories. */
function speaker(r: Row): Pick<RecalledMemory, 'speaker'> {
  if (r.role !== 'user' && r.role !== 'assistant') return {};
  return { speaker: { role: r.role, ...(r.name ? { name: String(r.name) } : {}) } };
}
