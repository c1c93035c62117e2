import { characterCache } from './characters.ts';
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
 * with each character's own model (pattern facts for the offline model), the character read
 * when its first turn is reflected on.
 *
 * @example
 * const memory = await storeMemory(store, settings, { character: characterCache() });
 * // … turns …
 * await memory.settle(); // before the invocation or process ends
 */
export async function storeMemory(
  store: SqlStore,
  settings: Settings,
  options: {
    /** The runner's characters (default: characters/, each read once). */
    character?: (id: string) => Promise<Character>;
    /** Overrides the per-character model choice (tests, benchmarks). */
    model?: (character: Character) => ResolvedModel;
    log?: Log;
  } = {},
): Promise<StoreMemory> {
  const { log } = options;
  const character = options.character ?? characterCache();
  const modelFor =
    options.model ??
    ((c: Character) => selectModel(c, { deployed: settings.runtime === 'lambda', env: settings.env }));
  const embedder = selectEmbedder(settings.env, store);
  return new StoreMemory(new SqlMemoryRepository(store), {
    ...(embedder ? { embedder } : {}),
    extractFacts: modelFactExtractor(async (agentId) => modelFor(await character(agentId))),
    onError: (error, stage) =>
      log?.warn(`memory ${stage} failed; the turn goes on`, {
        error: error instanceof Error ? error.message : String(error),
      }),
  });
}
