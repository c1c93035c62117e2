import type { Character } from '../characters/schema.ts';
import type { Embedder } from '../ports/embedder.ts';
import type { MemoryRepository } from '../ports/memory-records.ts';
import { importKnowledge, type ImportedSource } from './knowledge.ts';

/** One character's import: its counts summed over sources, or why it could not be imported. */
export type CharacterKnowledge =
  | { id: string; sources: number; chunks: number; inserted: number; kept: number; removed: number }
  | { id: string; error: Error };

export interface ImportAllOptions {
  /** Reads a character; `loadCharacter` from characters/load.ts in the stack and the CLI. */
  load: (id: string) => Promise<Character>;
  embedder?: Embedder;
  onSource?: (id: string, imported: ImportedSource) => void;
}

/**
 * Imports the knowledge of every character in `ids`, one after the other (the embedded store
 * is single-user). Idempotent by content hash, so it runs at every `npm start` and after every
 * deploy: unchanged chunks are kept, edited ones replaced, removed sources pruned. A character
 * whose knowledge cannot be read is reported and the others are still imported.
 *
 * @example
 * const results = await importAllKnowledge(['ada', 'juniper'], repository, { load: loadCharacter });
 */
export async function importAllKnowledge(
  ids: readonly string[],
  repository: MemoryRepository,
  options: ImportAllOptions,
): Promise<CharacterKnowledge[]> {
  const results: CharacterKnowledge[] = [];
  for (const id of ids) {
    try {
      const character = await options.load(id);
      const { onSource, embedder } = options;
      const { sources, pruned } = await importKnowledge(character, repository, {
        ...(embedder ? { embedder } : {}),
        ...(onSource ? { onSource: (imported: ImportedSource) => onSource(id, imported) } : {}),
      });
      const sum = (field: 'chunks' | 'inserted' | 'kept' | 'removed') =>
        sources.reduce((n, s) => n + s[field], 0);
      results.push({
        id,
        sources: sources.length,
        chunks: sum('chunks'),
        inserted: sum('inserted'),
        kept: sum('kept'),
        removed: sum('removed') + pruned,
      });
    } catch (error) {
      results.push({ id, error: error instanceof Error ? error : new Error(String(error)) });
    }
  }
  return results;
}

/**
 * One line for a character's import, for the CLI and the local stack's log.
 *
 * @example
 * describeImport({ id: 'ada', sources: 1, chunks: 3, inserted: 3, kept: 0, removed: 0 });
 * // 'ada: 3 knowledge chunks from 1 source (3 new, 0 unchanged, 0 removed)'
 */
export function describeImport(result: CharacterKnowledge): string {
  if ('error' in result) return `${result.id}: knowledge not imported: ${result.error.message}`;
  const { id, sources, chunks, inserted, kept, removed } = result;
  if (!sources && !removed) return `${id}: no knowledge`;
  return `${id}: ${chunks} knowledge chunks from ${sources} source${sources === 1 ? '' : 's'} (${inserted} new, ${kept} unchanged, ${removed} removed)`;
}
