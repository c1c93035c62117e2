import type { SqlStore } from '../../ports/sql.ts';

/**
 * The stored user ids (memories, turns, usage) that are one of `ids` or end in `:<id>`, of one
 * character or of all: what an operator's bare `sam` may stand for (`api:<tenant>:sam`).
 *
 * @example
 * await storedUserIds(store, ['sam'], 'ada'); // ['api:acme:sam', 'sam']
 */
export async function storedUserIds(store: SqlStore, ids: string[], agentId?: string): Promise<string[]> {
  const rows = await store.rpc<{ user_id: string }>('stored_user_ids', { p_ids: ids, p_agent_id: agentId });
  return rows.map((r) => r.user_id);
}
