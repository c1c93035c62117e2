import type { Principal } from '../ports/api-keys.ts';
import type { MemoryType, RecalledMemory } from '../ports/memory.ts';
import type { FactOutcome } from '../ports/memory-records.ts';
import { callerApiId, storedApiId } from '../turns/api-ids.ts';
import type { ApiDeps, MemoryAdmin } from './deps.ts';
import { ApiError } from './errors.ts';

export interface MemoryFilter {
  /** Ranks by relevance when given; newest first without it. */
  query?: string;
  userId?: string;
  roomId?: string;
  type?: MemoryType;
  limit: number;
}

/** What one API caller may do with one agent's memories, in the caller's own ids. */
export interface MemoryAccess {
  search(filter: MemoryFilter): Promise<RecalledMemory[]>;
  forget(userId: string): Promise<{ deleted: number }>;
  addFact(userId: string, text: string): Promise<{ id: string; outcome: FactOutcome }>;
}

/**
 * One agent's memories as the memories routes and the MCP tools see them: ids go in as the
 * caller wrote them and come out the same way (api-ids.ts), so a caller reads back what it sent
 * and never names a Discord user. Answers 501 when the deployment has no memory store.
 *
 * @example
 * const memories = memoryAccess(deps, c.get('principal'), 'ada');
 * await memories.search({ query: 'colour', userId: 'sam', limit: 5 });
 */
export function memoryAccess(deps: ApiDeps, principal: Principal, agentId: string): MemoryAccess {
  const admin = configured(deps.memories);
  // The one place where a caller's ids meet the stored ones: a tenant-scoped namespace
  // (`api:<tenant>:<id>`) changes these two lines and every memory route and tool follows.
  const stored = (id: string) => storedApiId(id);
  const shown = (id: string | null | undefined) => callerApiId(id);
  return {
    async search({ query, userId, roomId, type, limit }) {
      const memories = await admin.search({
        agentId,
        limit,
        ...(query ? { query } : {}),
        ...(userId ? { userId: stored(userId) } : {}),
        ...(roomId ? { roomId: stored(roomId) } : {}),
        ...(type ? { type } : {}),
      });
      return memories.map((m) => ({ ...m, userId: shown(m.userId), roomId: shown(m.roomId) }));
    },
    forget: (userId) => admin.forget({ agentId, userId: stored(userId) }),
    addFact: (userId, text) =>
      // The key that told the agent is kept with the fact, so an operator can trace it.
      admin.addFact({ agentId, userId: stored(userId), text, metadata: { addedBy: principal.keyId } }),
  };
}

function configured(admin: MemoryAdmin | undefined): MemoryAdmin {
  if (!admin) throw new ApiError(501, 'not_configured', 'this deployment has no memory store configured');
  return admin;
}
