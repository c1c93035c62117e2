/**
 * The turn's memory port: recall before the model runs, store after the reply is out.
 * Adapters: in-memory (one process), and the Postgres-backed store (PGlite, Postgres, Supabase).
 */

export type MemoryType = 'message' | 'fact' | 'description' | 'lore' | 'document' | 'knowledge';

export interface RecallQuery {
  agentId: string;
  userId: string;
  roomId: string;
  /** The user's message; what recall searches for. */
  text: string;
  /** How many recalled memories at most (recent messages are separate). */
  limit?: number;
  /** How many recent messages of the room. */
  recentLimit?: number;
}

export interface ConversationMessage {
  role: 'user' | 'assistant';
  name?: string;
  text: string;
  createdAt: string;
}

export interface RecalledMemory {
  id: string;
  type: MemoryType;
  text: string;
  userId?: string | null;
  roomId?: string | null;
  createdAt: string;
  metadata?: Record<string, unknown>;
  /** Who said it, for a recalled message: the user (by `name` when known) or the character. */
  speaker?: { role: 'user' | 'assistant'; name?: string };
  /** Fused score and its parts, so a caller can see why a memory was recalled. */
  score: number;
  why: {
    fullText?: number;
    vector?: number;
    fullTextRank?: number;
    vectorRank?: number;
    /** A current fact about this user: recalled for every turn, whatever the question. */
    userFact?: boolean;
  };
}

export interface Recollection {
  /** The room's most recent messages, oldest first. */
  recent: ConversationMessage[];
  /** Memories relevant to the message: facts about this user, knowledge, older messages. */
  memories: RecalledMemory[];
}

export interface CompletedTurn {
  /** The TurnRequest id: storing is idempotent by it. */
  turnId: string;
  agentId: string;
  userId: string;
  userName?: string;
  roomId: string;
  userText: string;
  replyText: string;
  at: string;
}

export interface MemoryPort {
  recall(query: RecallQuery): Promise<Recollection>;
  /** Stores the user message and the reply; calling it twice for one turnId stores once. */
  remember(turn: CompletedTurn): Promise<void>;
  /**
   * Waits for work remember() started off the reply's path (reflection: embedding the exchange,
   * extracting facts). Call it after the reply is delivered, before the process or Lambda
   * invocation ends.
   */
  settle?(): Promise<void>;
}
