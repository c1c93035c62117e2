import { vectorText } from './vector-text.ts';
import { sqlVector, SqlVector, SqlVectorList } from '../../ports/sql-vector.ts';
import type { MemoryType, RecalledMemory } from '../../ports/memory.ts';
import type { SqlStore } from '../../ports/sql.ts';
import type {
  NewMemory,
  SearchQuery,
  RecallRequest,
  RecalledRows,
  ListedMemory,
  MemoryStatsRow,
  KnownFact,
  NewFact,
  FactOutcome,
  MemoryRepository,
  WithinQuery,
} from '../../ports/memory-records.ts';
import { isoTime } from '../../ports/sql-rows.ts';
import { memoryFields, toRecalled } from './memory-rows.ts';

type Row = Record<string, unknown>;

/**
 * The memory tables through their SQL functions, with rows made alike across adapters.
 * Every method is one round trip.
 *
 * @example
 * const repo = new SqlMemoryRepository(await openStore());
 * await repo.insert([{ agentId: 'ada', userId: 'u1', type: 'fact', text: 'Likes tea' }]);
 */
export class SqlMemoryRepository implements MemoryRepository {
  constructor(private readonly store: SqlStore) {}

  async insert(
    rows: NewMemory[],
  ): Promise<Array<{ id: string; sourceId: string | null; inserted: boolean }>> {
    if (!rows.length) return [];
    // Vectors beside the rows, as one typed argument (0039): the store sends it in its fastest form.
    const withVectors = rows.some((m) => m.embedding);
    const result = await this.store.rpc<Row>('memory_insert', {
      p_rows: rows.map((m) => toInsertRow(m, false)),
      ...(withVectors
        ? {
            p_embeddings: new SqlVectorList(
              rows.map((m) => (m.embedding ? new SqlVector(m.embedding) : null)),
            ),
          }
        : {}),
    });
    return result.map((r) => ({
      id: String(r.id),
      sourceId: (r.source_id as string | null) ?? null,
      inserted: Boolean(r.inserted),
    }));
  }

  async recall(request: RecallRequest): Promise<RecalledRows> {
    const rows = await this.store.rpc<Row>('memory_recall', {
      p_agent_id: request.agentId,
      p_user_id: request.userId,
      p_room_id: request.roomId,
      p_query: request.query,
      p_embedding: sqlVector(request.embedding),
      p_limit: request.limit,
      p_recent_limit: request.recentLimit,
      p_fact_limit: request.factLimit,
    });
    const out: RecalledRows = { recent: [], facts: [], recalled: [] };
    for (const r of rows) {
      if (r.section === 'recent') {
        out.recent.push({
          id: String(r.id),
          role: r.role === 'assistant' ? 'assistant' : 'user',
          ...(r.name ? { name: String(r.name) } : {}),
          text: String(r.text),
          createdAt: isoTime(r.created_at),
        });
      } else if (r.section === 'fact') {
        out.facts.push({ ...toRecalled(r), why: { userFact: true } });
      } else {
        out.recalled.push(toRecalled(r));
      }
    }
    return out;
  }

  async search(query: SearchQuery): Promise<RecalledMemory[]> {
    const rows = await this.store.rpc<Row>('memory_search', {
      p_agent_id: query.agentId,
      p_query: query.query,
      p_user_id: query.userId,
      p_all_users: query.allUsers,
      p_embedding: sqlVector(query.embedding),
      p_room_id: query.roomId,
      p_types: query.types,
      p_since: query.since,
      p_until: query.until,
      p_limit: query.limit,
      p_include_superseded: query.includeSuperseded,
    });
    return rows.map(toRecalled);
  }

  async list(query: {
    agentId: string;
    userId?: string;
    roomId?: string;
    type?: MemoryType;
    limit?: number;
    offset?: number;
  }): Promise<ListedMemory[]> {
    const rows = await this.store.rpc<Row>('memory_list', {
      p_agent_id: query.agentId,
      p_user_id: query.userId,
      p_room_id: query.roomId,
      p_type: query.type,
      p_limit: query.limit,
      p_offset: query.offset,
    });
    return rows.map((r) => ({
      ...memoryFields(r),
      sourceId: (r.source_id as string | null) ?? null,
      hasEmbedding: Boolean(r.has_embedding),
      supersededBy: (r.superseded_by as string | null) ?? null,
    }));
  }

  async searchWithin(
    query: WithinQuery & { query: string; types?: MemoryType[] },
  ): Promise<RecalledMemory[]> {
    const rows = await this.store.rpc<Row>('memory_search_within', {
      p_agent_id: query.agentId,
      p_user_prefix: query.userPrefix,
      p_query: query.query,
      p_room_id: query.roomId,
      p_types: query.types,
      p_limit: query.limit,
    });
    return rows.map(toRecalled);
  }

  async listWithin(query: WithinQuery & { type?: MemoryType }): Promise<ListedMemory[]> {
    const rows = await this.store.rpc<Row>('memory_list_within', {
      p_agent_id: query.agentId,
      p_user_prefix: query.userPrefix,
      p_room_id: query.roomId,
      p_type: query.type,
      p_limit: query.limit,
    });
    return rows.map((r) => ({
      ...memoryFields(r),
      sourceId: null,
      hasEmbedding: false,
      supersededBy: null,
    }));
  }

  async stats(agentId?: string): Promise<MemoryStatsRow[]> {
    const rows = await this.store.rpc<Row>('memory_stats', { p_agent_id: agentId });
    return rows.map((r) => ({
      agentId: String(r.agent_id),
      type: r.type as MemoryType,
      memories: Number(r.memories),
      withEmbedding: Number(r.with_embedding),
      superseded: Number(r.superseded),
      users: Number(r.users),
      oldest: isoTime(r.oldest),
      newest: isoTime(r.newest),
    }));
  }

  /**
   * Deletes one user's memories, their unshared cached embeddings and turn records, except the
   * turn `keepTurnId` (the /forget request being processed, kept so a redelivery is harmless).
   */
  async forgetUser(
    agentId: string,
    userId: string,
    keepTurnId?: string,
  ): Promise<{ memories: number; embeddings: number; turns: number }> {
    const [r] = await this.store.rpc<Row>('memory_forget_user', {
      p_agent_id: agentId,
      p_user_id: userId,
      p_keep_turn_id: keepTurnId,
    });
    return {
      memories: Number(r?.memories ?? 0),
      embeddings: Number(r?.embeddings ?? 0),
      turns: Number(r?.turns ?? 0),
    };
  }

  async facts(agentId: string, userId: string, limit?: number): Promise<KnownFact[]> {
    const rows = await this.store.rpc<Row>('memory_facts', {
      p_agent_id: agentId,
      p_user_id: userId,
      p_limit: limit,
    });
    return rows.map((r) => ({
      id: String(r.id),
      text: String(r.text),
      ...(r.key ? { key: String(r.key) } : {}),
      ...(r.value ? { value: String(r.value) } : {}),
      createdAt: isoTime(r.created_at),
    }));
  }

  async addFact(fact: NewFact): Promise<{ id: string; outcome: FactOutcome; superseded: string[] }> {
    const [r] = await this.store.rpc<Row>('memory_add_fact', {
      p_agent_id: fact.agentId,
      p_user_id: fact.userId,
      p_text: fact.text,
      p_key: fact.key,
      p_value: fact.value,
      p_room_id: fact.roomId,
      p_source_id: fact.sourceId,
      p_metadata: fact.metadata,
      p_embedding: sqlVector(fact.embedding),
      p_embedding_model: fact.embeddingModel,
    });
    if (!r) throw new Error('memory_add_fact returned no row');
    return { id: String(r.id), outcome: r.outcome as FactOutcome, superseded: uuidList(r.superseded) };
  }

  /** Replaces one knowledge source's rows: new ones stored, unchanged kept, stale removed. */
  async replaceSource(
    agentId: string,
    source: string,
    rows: NewMemory[],
  ): Promise<{ inserted: number; kept: number; removed: number }> {
    const [r] = await this.store.rpc<Row>('memory_replace_source', {
      p_agent_id: agentId,
      p_source: source,
      // memory_replace_source takes its rows as JSON only: vectors inside them, as text.
      p_rows: rows.map((m) => toInsertRow(m, true)),
    });
    return {
      inserted: Number(r?.inserted ?? 0),
      kept: Number(r?.kept ?? 0),
      removed: Number(r?.removed ?? 0),
    };
  }

  /** Removes the agent's knowledge from sources not in `keep`. */
  async pruneSources(agentId: string, keep: string[]): Promise<number> {
    const [r] = await this.store.rpc<Row>('memory_prune_sources', { p_agent_id: agentId, p_keep: keep });
    return Number(r?.removed ?? 0);
  }

  async setEmbeddings(
    model: string,
    rows: Array<{ id: string; embedding: readonly number[] }>,
  ): Promise<number> {
    if (!rows.length) return 0;
    const [r] = await this.store.rpc<Row>('memory_set_embeddings', {
      p_model: model,
      p_ids: rows.map((e) => e.id),
      p_embeddings: new SqlVectorList(rows.map((e) => new SqlVector(e.embedding))),
    });
    return Number(r?.updated ?? 0);
  }
}

function toInsertRow(m: NewMemory, withVector: boolean): Record<string, unknown> {
  return {
    agent_id: m.agentId,
    user_id: m.userId ?? null,
    room_id: m.roomId ?? null,
    type: m.type,
    content: { ...m.content, text: m.text },
    metadata: m.metadata ?? {},
    source_id: m.sourceId ?? null,
    created_at: m.createdAt ?? null,
    embedding: withVector ? (vectorText(m.embedding) ?? null) : null,
    embedding_model: m.embeddingModel ?? null,
  };
}

// A uuid[] arrives as an array (PGlite, PostgREST) or as '{a,b}' text.
function uuidList(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === 'string')
    return value
      .replace(/^\{|\}$/g, '')
      .split(',')
      .filter(Boolean);
  return [];
}
