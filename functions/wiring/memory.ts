import { loadCharacters } from '../characters/load.ts';
import { SqlMemoryRepository } from '../adapters/store/memories.ts';
import type { Character } from '../characters/schema.ts';
import type { Settings } from '../config/settings.ts';
import { selectEmbedder } from '../adapters/embedder/select-embedder.ts';
import { modelFactExtractor } from '../memory/fact-extractor.ts';
import { StoreMemory } from '../memory/store-memory.ts';
import { selectModel } from '../adapters/models/select.ts';
import type { ResolvedModel } from '../ports/model.ts';
import type { Log } from '../ports/log.ts';
import type { SqlStore } from '../ports/sql.ts';

/**
 * The runner's memory: the SQL store, an embedder when OPENAI_API_KEY is set, and reflection
 * with each character's own model (pattern facts for the offline model). Characters are read
 * once here so reflection can pick a model by agent id.
 *
 * @example
 * const memory = await storeMemory(store, settings);
 * // … turns …
 * await memory.settle(); // before the invocation or process ends
 */
export async function storeMemory(
  store: SqlStore,
  settings: Settings,
  model?: (character: Character) => ResolvedModel,
  log?: Log,
): Promise<StoreMemory> {
  const characters = new Map((await loadCharacters()).map((c) => [c.id, c]));
  const modelFor =
    model ??
    ((c: Character) => selectModel(c, { deployed: settings.runtime === 'lambda', env: settings.env }));
  const embedder = selectEmbedder(settings.env, store);
  return new StoreMemory(new SqlMemoryRepository(store), {
    ...(embedder ? { embedder } : {}),
    extractFacts: modelFactExtractor((agentId) => {
      const character = characters.get(agentId);
      if (!character) throw new Error(`reflection: no character "${agentId}" in characters/`);
      return modelFor(character);
    }),
    onError: (error, stage) =>
      log?.warn(`memory ${stage} failed; the turn goes on`, {
        error: error instanceof Error ? error.message : String(error),
      }),
  });
}
