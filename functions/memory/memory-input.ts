import { z } from 'zod';
import { sha256 } from './content-hash.ts';
import type { Embedder } from '../ports/embedder.ts';
import { CarrierError } from '../errors.ts';
import type { MemoryType } from '../ports/memory.ts';
import type { MemoryRepository } from '../ports/memory-records.ts';
import type { NewMemory } from '../ports/memory-records.ts';

export const MEMORY_TYPES = [
  'message',
  'fact',
  'description',
  'lore',
  'document',
  'knowledge',
] as const satisfies readonly MemoryType[];

/** Memories given by hand: bad lines are reported together and nothing is stored. */
export class MemoryInputError extends CarrierError {
  override name = 'MemoryInputError';
}

/** One memory as `carrier memory add` takes it: a JSON Lines line, or the flags. Unknown keys are typos. */
export const memoryInputSchema = z.strictObject({
  type: z.enum(MEMORY_TYPES),
  text: z.string().trim().min(1, 'must not be empty'),
  userId: z.string().min(1).optional(),
  roomId: z.string().min(1).optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
  createdAt: z.iso.datetime({ offset: true }).optional(),
  sourceId: z.string().min(1).optional(),
});
export type MemoryInput = z.infer<typeof memoryInputSchema>;

/**
 * Parses JSON Lines into memories, reporting every bad line (up to 20) as `where line N: field:
 * problem`. Blank lines are skipped.
 *
 * @example parseMemoryLines('{"type":"fact","text":"Likes tea","userId":"u1"}\n', 'stdin')
 */
export function parseMemoryLines(text: string, where: string): MemoryInput[] {
  const out: MemoryInput[] = [];
  const problems: string[] = [];
  for (const [i, line] of text.split('\n').entries()) {
    if (!line.trim()) continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      problems.push(`${where} line ${i + 1}: not JSON`);
      continue;
    }
    const parsed = memoryInputSchema.safeParse(value);
    if (parsed.success) out.push(parsed.data);
    else
      problems.push(
        ...parsed.error.issues.map((e) => `${where} line ${i + 1}: ${issuePath(e.path)}${e.message}`),
      );
  }
  if (problems.length) {
    const shown = problems.slice(0, 20);
    if (problems.length > 20) shown.push(`… and ${problems.length - 20} more`);
    throw new MemoryInputError(`nothing was stored:\n${shown.join('\n')}`, 'memory_input_invalid');
  }
  return out;
}

/** Checks one memory given as flags, with the same rules as a JSON Lines line. */
export function parseMemoryInput(value: Record<string, unknown>): MemoryInput {
  const parsed = memoryInputSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new MemoryInputError(
    parsed.error.issues
      .map((e) => `--${issuePath(e.path).replace(/: $/, '') || 'input'}: ${e.message}`)
      .join('\n'),
    'memory_input_invalid',
  );
}

const issuePath = (path: PropertyKey[]) => (path.length ? `${path.join('.')}: ` : '');

/**
 * Stores memories for one agent in batches (one round trip each), embedding them when there is
 * an embedder. A memory without a sourceId gets one from its content, so running the same
 * import again (after a failure half-way, say) stores nothing twice.
 */
export async function addMemories(
  agentId: string,
  inputs: MemoryInput[],
  repository: MemoryRepository,
  options: {
    embedder?: Embedder;
    batchSize?: number;
    onProgress?: (done: number, total: number) => void;
  } = {},
): Promise<{ inserted: number; existing: number }> {
  const batchSize = options.batchSize ?? 500;
  let inserted = 0;
  for (let i = 0; i < inputs.length; i += batchSize) {
    const batch = inputs.slice(i, i + batchSize);
    const vectors = options.embedder ? await options.embedder.embed(batch.map((m) => m.text)) : [];
    const rows: NewMemory[] = batch.map((m, j) => ({
      agentId,
      type: m.type,
      text: m.text,
      userId: m.userId ?? null,
      roomId: m.roomId ?? null,
      ...(m.metadata ? { metadata: m.metadata } : {}),
      ...(m.createdAt ? { createdAt: m.createdAt } : {}),
      sourceId:
        m.sourceId ??
        `import:${agentId}:${sha256(JSON.stringify([m.type, m.text, m.userId, m.roomId, m.createdAt]))}`,
      ...(vectors[j] && options.embedder
        ? { embedding: vectors[j], embeddingModel: options.embedder.model }
        : {}),
    }));
    inserted += (await repository.insert(rows)).filter((r) => r.inserted).length;
    options.onProgress?.(Math.min(i + batchSize, inputs.length), inputs.length);
  }
  return { inserted, existing: inputs.length - inserted };
}

/** A text progress bar: `[#######-------]  50% 5000/10000`. */
export function progressBar(done: number, total: number, width = 30): string {
  const share = total ? done / total : 1;
  const filled = Math.round(share * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(Math.round(share * 100)).padStart(3)}% ${done}/${total}`;
}
