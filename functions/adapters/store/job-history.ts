import type { ConversationSummary, JobFilter, JobHistory } from '../../ports/job-history.ts';
import type { SqlStore } from '../../ports/sql.ts';
import { isoTime } from '../../ports/sql-rows.ts';
import type { TurnRow } from '../../ports/turns.ts';

/**
 * A tenant's jobs and conversations through migrations 0055 and 0070's functions; one round trip each.
 *
 * @example
 * await new SqlJobHistory(store).jobs('acme', { agentId: 'ada', limit: 20 });
 */
export class SqlJobHistory implements JobHistory {
  constructor(private readonly store: SqlStore) {}

  jobs(tenant: string, filter: JobFilter = {}): Promise<TurnRow[]> {
    return this.store.rpc<TurnRow>('turn_list_jobs', {
      p_tenant: tenant,
      p_agent_id: filter.agentId ?? null,
      p_conversation: filter.conversation ?? null,
      p_before: filter.before ?? null,
      p_limit: filter.limit ?? 50,
      p_after_id: filter.afterId ?? null,
    });
  }

  async conversations(tenant: string, agentId: string, limit = 50): Promise<ConversationSummary[]> {
    const rows = await this.store.rpc<{
      conversation: string;
      user_id: string;
      jobs: number | string;
      last_at: Date | string;
      last_text: string;
    }>('turn_list_conversations', { p_tenant: tenant, p_agent_id: agentId, p_limit: limit });
    return rows.map((r) => ({
      conversation: r.conversation,
      userId: r.user_id,
      jobs: Number(r.jobs),
      lastAt: isoTime(r.last_at),
      lastText: r.last_text,
    }));
  }
}
