import { PgliteStore } from '../adapters/pglite-store.ts';
import { selectEmbedder } from '../embeddings/select-embedder.ts';
import type { ResolvedModel } from '../models/types.ts';
import type { SqlStore } from '../ports/sql.ts';
import { migrate } from '../store/migrate.ts';
import { openStore, type StoreEnv } from '../store/open.ts';
import { modelFactExtractor } from './fact-extractor.ts';
import { StoreMemory, type StoreMemoryOptions } from './store-memory.ts';

export interface OpenedMemory {
  memory: StoreMemory;
  store: SqlStore;
  /** Waits for reflection still running, then closes the store. */
  close(): Promise<void>;
}

/**
 * The store-backed memory for one process, as configuration selects it (see openStore): with
 * an embedder when OPENAI_API_KEY is set, reflection with the character's model. The embedded
 * PGlite is migrated on open, so a first local run needs no `memory init`; Postgres and
 * Supabase are migrated by `npx carrier memory init`.
 *
 * @example
 * const { memory, close } = await openStoreMemory(process.env, { modelFor: () => model });
 */
export async function openStoreMemory(
  env: StoreEnv,
  options: { modelFor: (agentId: string) => ResolvedModel } & Pick<StoreMemoryOptions, 'budget' | 'onError'>,
): Promise<OpenedMemory> {
  const store = await openStore(env);
  if (store instanceof PgliteStore) await migrate(store);
  const embedder = selectEmbedder(env, store);
  const memory = new StoreMemory(store, {
    ...(embedder ? { embedder } : {}),
    extractFacts: modelFactExtractor(options.modelFor),
    ...(options.budget ? { budget: options.budget } : {}),
    ...(options.onError ? { onError: options.onError } : {}),
  });
  return {
    memory,
    store,
    async close() {
      try {
        await memory.settle();
      } finally {
        await store.close();
      }
    },
  };
}
