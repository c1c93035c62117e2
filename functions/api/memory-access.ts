import type { Principal } from '../ports/api-keys.ts';
import type { MemoryType, RecalledMemory } from '../ports/memory.ts';
import type { FactOutcome } from '../ports/memory-records.ts';
import { callerIds } from './caller-ids.ts';
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
 * caller wrote them and come out the same way, in the caller's tenant's namespace (api-ids.ts),
 * so a caller reads back what it sent and never sees, searches or forgets another tenant's or a
 * Discord user's memories. Answers 501 when the deployment has no memory store.
 *
 * @example
 * const memories = memoryAccess(deps, c.get('principal'), 'ada');
 * await memories.search({ query: 'colour', userId: 'sam', limit: 5 });
 */
export function memoryAccess(deps: ApiDeps, principal: Principal, agentId: string): MemoryAccess {
  const admin = configured(deps.memories);
  // Where a caller's ids meet the stored ones (`api:<tenant>:<id>`, a signed-in user's own).
  const ids = callerIds(principal);
  const user = (id: string) => ids.user(id, 'userId').stored;
  return {
    async search({ query, userId, roomId, type, limit }) {
      const memories = await admin.search({
        agentId,
        limit,
        ...(query ? { query } : {}),
        // With no user named: the tenant's users (a signed-in user: itself) and the agent's
        // shared memories, no one else's.
        ...(userId ? { userId: user(userId) } : ids.everyone),
        ...(roomId ? { roomId: ids.conversation(roomId, 'roomId') } : {}),
        ...(type ? { type } : {}),
      });
      return memories.map((m) => ({
        ...m,
        userId: ids.shownUser(m.userId),
        roomId: ids.shownConversation(m.roomId),
      }));
    },
    forget: (userId) => admin.forget({ agentId, userId: user(userId) }),
    addFact: (userId, text) =>
      // The key that told the agent is kept with the fact, so an operator can trace it.
      admin.addFact({ agentId, userId: user(userId), text, metadata: { addedBy: principal.keyId } }),
  };
}

function configured(admin: MemoryAdmin | undefined): MemoryAdmin {
  if (!admin) throw new ApiError(501, 'not_configured', 'this deployment has no memory store configured');
  return admin;
}
