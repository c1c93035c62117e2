import type { MemoryRepository } from '../ports/memory-records.ts';
import type { MemoryAdmin } from '../api/deps.ts';

/**
 * The memories endpoints over the memory tables: ranked search when there is a query (every
 * user's memories unless `userId` narrows it), newest first otherwise; forgetting erases a
 * user's memories with the agent. An added fact is not embedded (the API has no embedder): recall
 * finds it anyway, as one of the user's current facts on every turn and by full text.
 *
 * @example
 * createApiApp({ ...deps, memories: memoryAdmin(new SqlMemoryRepository(store)) });
 */
export function memoryAdmin(repository: MemoryRepository): MemoryAdmin {
  return {
    async search(q) {
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
      // No query, nothing to rank by: newest first, score 0.
      return listed.map((m) => ({
        id: m.id,
        type: m.type,
        text: m.text,
        userId: m.userId,
        roomId: m.roomId,
        createdAt: m.createdAt,
        metadata: m.metadata,
        score: 0,
        why: {},
      }));
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
