import { PgliteStore } from '#core/adapters/store/pglite.ts';
import { SqlMemoryRepository } from '#core/adapters/store/memories.ts';
import type { NewMemory } from '#core/ports/memory-records.ts';
import { migrate, readMigrations } from '#core/adapters/store/migrate.ts';
import type { RecallData } from './recall-data.ts';

/** A loaded store, and the source id of each memory id, to score what search returns. */
export interface LoadedStore {
  store: PgliteStore;
  repo: SqlMemoryRepository;
  sourceOf: Map<string, string>;
}

/**
 * An in-memory PGlite with the recall bench's data stored through `memory_insert`, the
 * runtime's write path. `before` (a migration version) migrates only up to it: the store as it
 * was, to measure what the migrations after it changed.
 */
export async function loadStore(
  data: RecallData,
  options: { before?: string; vectorOf?: (text: string, i: number) => number[] } = {},
): Promise<LoadedStore> {
  const store = await PgliteStore.open();
  const migrations = (await readMigrations()).filter((m) => !options.before || m.version < options.before);
  await migrate(store, migrations);
  const repo = new SqlMemoryRepository(store);
  const rows: NewMemory[] = [
    ...data.turns.map((t) => ({
      agentId: data.agentId,
      userId: t.userId,
      roomId: t.roomId,
      type: 'message' as const,
      text: t.text,
      content: { role: t.role, ...(t.name ? { name: t.name } : {}) },
      sourceId: t.sourceId,
      createdAt: t.createdAt,
    })),
    ...data.knowledge.map((k) => ({
      agentId: data.agentId,
      type: 'knowledge' as const,
      text: k.text,
      sourceId: k.sourceId,
    })),
  ];
  if (options.vectorOf) {
    rows.forEach((r, i) =>
      Object.assign(r, { embedding: options.vectorOf!(r.text, i), embeddingModel: 'fake' }),
    );
  }
  const sourceOf = new Map<string, string>();
  for (let i = 0; i < rows.length; i += 500) {
    for (const r of await repo.insert(rows.slice(i, i + 500))) sourceOf.set(r.id, r.sourceId!);
  }
  // As npm start and the deploy step do once 2,000 memories have a vector.
  if (options.vectorOf) await store.rpc('memory_vector_index_refresh');
  await store.exec('analyze memories');
  return { store, repo, sourceOf };
}
