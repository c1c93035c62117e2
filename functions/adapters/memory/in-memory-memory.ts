import type {
  CompletedTurn,
  ConversationMessage,
  MemoryPort,
  RecallQuery,
  Recollection,
} from '../../ports/memory.ts';

/** Remembers conversations for the life of one process: the CLI REPL and unit tests. */
export class InMemoryMemory implements MemoryPort {
  private readonly rooms = new Map<string, ConversationMessage[]>();
  private readonly seen = new Set<string>();

  async recall(query: RecallQuery): Promise<Recollection> {
    const messages = this.rooms.get(key(query.agentId, query.roomId)) ?? [];
    return { recent: messages.slice(-(query.recentLimit ?? 12)), memories: [] };
  }

  async remember(turn: CompletedTurn): Promise<void> {
    if (this.seen.has(turn.turnId)) return;
    this.seen.add(turn.turnId);
    const room = key(turn.agentId, turn.roomId);
    const messages = this.rooms.get(room) ?? [];
    messages.push(
      { role: 'user', name: turn.userName ?? turn.userId, text: turn.userText, createdAt: turn.at },
      { role: 'assistant', text: turn.replyText, createdAt: turn.at },
    );
    this.rooms.set(room, messages);
  }
}

const key = (agentId: string, roomId: string) => `${agentId}\u0000${roomId}`;
