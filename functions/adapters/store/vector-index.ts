import type { SqlStore } from '../../ports/sql.ts';

/** Rows with a vector before the index is first built: below it an exact scan is as quick. */
export const VECTOR_INDEX_MIN_ROWS = 2_000;

/** What the index over every vector covers after a refresh, and whether this one built it. */
export interface VectorIndexState {
  built: boolean;
  /** Rows with a vector when it was built (0: not built yet). */
  rows: number;
  lists: number;
}

/**
 * Builds the index agent-wide vector search goes through once VECTOR_INDEX_MIN_ROWS rows carry a vector,
 * and again each time they double (migration 0071); `force` builds it now. A no-op costs one
 * count. Run by `npm start`, the deploy step and `carrier memory reindex`.
 *
 * @example
 * await refreshVectorIndex(store); // { built: false, rows: 0, lists: 0 } on a new store
 */
export async function refreshVectorIndex(
  store: SqlStore,
  options: { force?: boolean; minRows?: number } = {},
): Promise<VectorIndexState> {
  const [row] = await store.rpc<{ built: boolean; rows: number | string; lists: number }>(
    'memory_vector_index_refresh',
    { p_force: options.force ?? false, p_min_rows: options.minRows ?? VECTOR_INDEX_MIN_ROWS },
  );
  return { built: Boolean(row?.built), rows: Number(row?.rows ?? 0), lists: Number(row?.lists ?? 0) };
}

/**
 * One line for the CLI and the local stack's log.
 *
 * @example
 * describeVectorIndex({ built: true, rows: 4000, lists: 63 });
 * // 'vector index built over 4000 memories (63 lists)'
 */
export function describeVectorIndex(state: VectorIndexState, options: { forced?: boolean } = {}): string {
  if (state.built) return `vector index built over ${state.rows} memories (${state.lists} lists)`;
  if (!state.rows && options.forced)
    return 'no memory has a vector yet, so there is nothing to index: memories get one when an embedder is set (OPENAI_API_KEY, or OPENAI_BASE_URL with CARRIER_EMBEDDING_MODEL)';
  if (!state.rows)
    return `no vector index yet: it is built once ${VECTOR_INDEX_MIN_ROWS} memories have a vector; until then search is exact`;
  return `vector index up to date: built over ${state.rows} memories (${state.lists} lists)`;
}
