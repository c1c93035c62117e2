import { SqlMemoryRepository } from '../adapters/store/memories.ts';
import { describeVectorIndex, refreshVectorIndex } from '../adapters/store/vector-index.ts';
import type { Character } from '../characters/schema.ts';
import { describeImport, importAllKnowledge, type CharacterKnowledge } from '../memory/knowledge-at-start.ts';
import type { Embedder } from '../ports/embedder.ts';
import type { Log } from '../ports/log.ts';
import type { SqlStore } from '../ports/sql.ts';

/**
 * Imports every served character's knowledge (idempotent by content hash) after the stack
 * listens, so readiness never waits on it: a first import with an embedder sends every chunk to
 * the embeddings API, while a restart with unchanged files is a few queries per character.
 * Then builds the agent-wide vector index when the memories have grown enough to need it.
 */
export async function importKnowledge(
  characters: string[],
  store: SqlStore,
  options: { load: (id: string) => Promise<Character>; embedder?: Embedder; log?: Log },
): Promise<CharacterKnowledge[]> {
  const started = Date.now();
  const results = await importAllKnowledge(characters, new SqlMemoryRepository(store), {
    load: options.load,
    ...(options.embedder ? { embedder: options.embedder } : {}),
  });
  for (const result of results) {
    if ('error' in result) options.log?.error(describeImport(result));
    else if (result.sources || result.removed) options.log?.info(describeImport(result));
  }
  options.log?.info('knowledge imported', { characters: results.length, ms: Date.now() - started });
  try {
    const index = await refreshVectorIndex(store);
    if (index.built) options.log?.info(describeVectorIndex(index), { ms: Date.now() - started });
  } catch (error) {
    // Search stays exact without it: worth a line, not the stack.
    options.log?.error('vector index not built; `carrier memory reindex` tries again', { error });
  }
  return results;
}
