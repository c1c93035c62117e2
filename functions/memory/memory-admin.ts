import type { RecalledMemory } from '../ports/memory.ts';
import type { MemoryRepository } from '../ports/memory-records.ts';
import type { MemoryAdmin } from '../api/deps.ts';

/**
 * The memories endpoints over the memory tables: ranked search when there is a query, newest
 * first otherwise; one user's memories with `userId`, else those of the users `usersWithin`
 * names (a tenant), else every user's (the operator). Forgetting erases a user's memories. An
 * added fact is not embedded (the API has no embedder): recall finds it anyway, as one of the
 * user's current facts on every turn and by full text.
 *
 * @example
 * createApiApp({ ...deps, memories: memoryAdmin(new SqlMemoryRepository(store)) });
 */
export function memoryAdmin(repository: MemoryRepository): MemoryAdmin {
  return {
    async search(q) {
      if (q.usersWithin !== undefined && !q.userId)
        return searchWithin(repository, { ...q, usersWithin: q.usersWithin });
      if (q.query?.trim()) {
        return repository.search({
          agentId: q.agentId,
          query: q.query,
          ...(q.userId ? { userId: q.userId } : { allUsers: true }),
          ...(q.roomId ? { roomId: q.roomId } : {}),
          ...(q.type ? { types: [q.type] } : {}),
          limit: q.limit,
        });
      }
      const listed = await repository.list({
        agentId: q.agentId,
        limit: q.limit,
        ...(q.userId ? { userId: q.userId } : {}),
        ...(q.roomId ? { roomId: q.roomId } : {}),
        ...(q.type ? { type: q.type } : {}),
      });
      return listed.map(unranked);
    },
    async forget({ agentId, userId, keepTurnId }) {
      const { memories } = await repository.forgetUser(agentId, userId, keepTurnId);
      return { deleted: memories };
    },
    async addFact({ agentId, userId, text, metadata }) {
      const { id, outcome } = await repository.addFact({
        agentId,
        userId,
        text,
        ...(metadata ? { metadata } : {}),
      });
      return { id, outcome };
    },
  };
}

type SearchQuery = Parameters<MemoryAdmin['search']>[0];

/** A tenant's view: its users' memories and the agent's shared ones, nobody else's. */
async function searchWithin(
  repository: MemoryRepository,
  q: SearchQuery & { usersWithin: string },
): Promise<RecalledMemory[]> {
  const scope = {
    agentId: q.agentId,
    userPrefix: q.usersWithin,
    limit: q.limit,
    ...(q.roomId ? { roomId: q.roomId } : {}),
  };
  if (q.query?.trim()) {
    return repository.searchWithin({ ...scope, query: q.query, ...(q.type ? { types: [q.type] } : {}) });
  }
  return (await repository.listWithin({ ...scope, ...(q.type ? { type: q.type } : {}) })).map(unranked);
}

/** No query, nothing to rank by: newest first, score 0. */
function unranked(m: Omit<RecalledMemory, 'score' | 'why'>): RecalledMemory {
  return {
    id: m.id,
    type: m.type,
    text: m.text,
    userId: m.userId ?? null,
    roomId: m.roomId ?? null,
    createdAt: m.createdAt,
    metadata: m.metadata ?? {},
    score: 0,
    why: {},
  };
}
