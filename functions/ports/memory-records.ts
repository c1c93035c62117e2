import type { CompletedTurn, ConversationMessage, MemoryType, RecalledMemory } from './memory.ts';

/** The shapes MemoryRepository takes and returns. */

export interface NewMemory {
  agentId: string;
  /** Set for memories about one user (messages, facts); null/absent for shared ones (knowledge). */
  userId?: string | null;
  roomId?: string | null;
  type: MemoryType;
  text: string;
  /** More content beside text: a message's role and speaker name. */
  content?: Record<string, unknown>;
  metadata?: Record<string, unknown>;
  /** Idempotency key: a second insert with the same one stores nothing. */
  sourceId?: string;
  createdAt?: string;
  embedding?: readonly number[];
  embeddingModel?: string;
}

export interface SearchQuery {
  agentId: string;
  query: string;
  /** Whose memories besides the shared ones; required unless allUsers. */
  userId?: string;
  /** Every user's memories of the agent: for the operator's CLI, never for a turn. */
  allUsers?: boolean;
  embedding?: readonly number[];
  roomId?: string;
  types?: MemoryType[];
  since?: string;
  until?: string;
  limit?: number;
  includeSuperseded?: boolean;
}

/** One agent's memories of the users whose stored id starts with `userPrefix` (a tenant), plus shared ones. */
export interface WithinQuery {
  agentId: string;
  userPrefix: string;
  roomId?: string;
  limit?: number;
}

export interface RecallRequest {
  agentId: string;
  userId: string;
  roomId: string;
  query: string;
  embedding?: readonly number[];
  limit?: number;
  recentLimit?: number;
  factLimit?: number;
}

export interface RecalledRows {
  recent: Array<ConversationMessage & { id: string }>;
  facts: RecalledMemory[];
  recalled: RecalledMemory[];
}

export interface ListedMemory {
  id: string;
  type: MemoryType;
  text: string;
  userId: string | null;
  roomId: string | null;
  createdAt: string;
  metadata: Record<string, unknown>;
  sourceId: string | null;
  hasEmbedding: boolean;
  supersededBy: string | null;
}

export interface MemoryStatsRow {
  agentId: string;
  type: MemoryType;
  memories: number;
  withEmbedding: number;
  superseded: number;
  users: number;
  oldest: string;
  newest: string;
}

export interface KnownFact {
  id: string;
  text: string;
  key?: string;
  value?: string;
  createdAt: string;
}

export interface NewFact {
  agentId: string;
  userId: string;
  text: string;
  /** What the fact is about ("favourite_colour"): a new value for a key supersedes the old. */
  key?: string;
  value?: string;
  roomId?: string;
  sourceId?: string;
  metadata?: Record<string, unknown>;
  embedding?: readonly number[];
  embeddingModel?: string;
}

export type FactOutcome = 'added' | 'duplicate' | 'superseded';

/**
 * The memory tables (memories, facts, knowledge sources, embeddings): what recall, reflection,
 * the API and the CLI read and write. Implemented by adapters/store/memories.ts on every store.
 */
export interface MemoryRepository {
  insert(rows: NewMemory[]): Promise<
    Array<{
      id: string;
      sourceId: string | null;
      inserted: boolean;
    }>
  >;
  recall(request: RecallRequest): Promise<RecalledRows>;
  search(query: SearchQuery): Promise<RecalledMemory[]>;
  list(query: {
    agentId: string;
    userId?: string;
    roomId?: string;
    type?: MemoryType;
    limit?: number;
    offset?: number;
  }): Promise<ListedMemory[]>;
  /** Full-text search over the memories of users whose id starts with `userPrefix`, and shared ones. */
  searchWithin(query: WithinQuery & { query: string; types?: MemoryType[] }): Promise<RecalledMemory[]>;
  /** Newest first, the same scope as searchWithin. */
  listWithin(query: WithinQuery & { type?: MemoryType }): Promise<ListedMemory[]>;
  stats(agentId?: string): Promise<MemoryStatsRow[]>;
  /**
   * Deletes one user's memories, their unshared cached embeddings and turn records, except the
   * turn `keepTurnId` (the /forget request being processed, kept so a redelivery is harmless).
   */
  forgetUser(
    agentId: string,
    userId: string,
    keepTurnId?: string,
  ): Promise<{
    memories: number;
    embeddings: number;
    turns: number;
  }>;
  facts(agentId: string, userId: string, limit?: number): Promise<KnownFact[]>;
  addFact(fact: NewFact): Promise<{
    id: string;
    outcome: FactOutcome;
    superseded: string[];
  }>;
  /** Replaces one knowledge source's rows: new ones stored, unchanged kept, stale removed. */
  replaceSource(
    agentId: string,
    source: string,
    rows: NewMemory[],
  ): Promise<{
    inserted: number;
    kept: number;
    removed: number;
  }>;
  /** Removes the agent's knowledge from sources not in `keep`. */
  pruneSources(agentId: string, keep: string[]): Promise<number>;
  setEmbeddings(
    model: string,
    rows: Array<{
      id: string;
      embedding: readonly number[];
    }>,
  ): Promise<number>;
}

export interface ExtractedFact {
  /** A whole sentence about the user, as it will be recalled. */
  text: string;
  /** What the fact is about, snake_case ("favourite_colour"): a new value supersedes the old. */
  key?: string;
  value?: string;
}

/**
 * Finds durable facts about the user in one exchange. `known` reads the facts known already:
 * an extractor that needs them calls it (the offline patterns do not, and spare the read).
 */
export type FactExtractor = (
  turn: CompletedTurn,
  known: () => Promise<KnownFact[]>,
) => Promise<ExtractedFact[]>;
