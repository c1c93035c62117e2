import type { ConversationSummary, JobFilter, JobHistory } from '#core/ports/job-history.ts';
import type { TurnRow } from '#core/ports/turns.ts';
import type { InMemoryTurnRepository } from './in-memory-turns.ts';

const newestFirst = (a: TurnRow, b: TurnRow) =>
  +new Date(b.created_at) - +new Date(a.created_at) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

/**
 * JobHistory over an InMemoryTurnRepository's rows, with migrations 0055 and 0070's semantics: a tenant's
 * API jobs only, newest first, 1-200 a page. test/store/job-history-contract.test.ts runs the same
 * tests against it and the SQL adapters.
 */
export class InMemoryJobHistory implements JobHistory {
  constructor(private readonly turns: InMemoryTurnRepository) {}

  async jobs(tenant: string, filter: JobFilter = {}): Promise<TurnRow[]> {
    const limit = Math.min(Math.max(filter.limit ?? 50, 1), 200);
    const owned = this.owned(tenant);
    const after = filter.afterId === undefined ? undefined : owned.find((t) => t.id === filter.afterId);
    if (filter.afterId !== undefined && !after) return [];
    return owned
      .filter((t) => !filter.agentId || t.agent_id === filter.agentId)
      .filter((t) => !filter.conversation || t.conversation === filter.conversation)
      .filter((t) => !filter.before || +new Date(t.created_at) < +filter.before)
      .filter((t) => !after || newestFirst(after, t) < 0)
      .sort(newestFirst)
      .slice(0, limit);
  }

  async conversations(tenant: string, agentId: string, limit = 50): Promise<ConversationSummary[]> {
    const byConversation = new Map<string, TurnRow[]>();
    for (const t of this.owned(tenant)
      .filter((t) => t.agent_id === agentId)
      .sort(newestFirst)) {
      byConversation.set(t.conversation, [...(byConversation.get(t.conversation) ?? []), t]);
    }
    return [...byConversation.values()]
      .map(([last, ...rest]) => ({
        conversation: last!.conversation,
        userId: last!.user_id,
        jobs: rest.length + 1,
        lastAt: new Date(last!.created_at).toISOString(),
        lastText: last!.request?.text ?? '',
      }))
      .sort((a, b) =>
        a.lastAt < b.lastAt ? 1 : a.lastAt > b.lastAt ? -1 : a.conversation < b.conversation ? -1 : 1,
      )
      .slice(0, Math.min(Math.max(limit, 1), 200));
  }

  private owned(tenant: string): TurnRow[] {
    return this.turns.rows().filter((t) => t.tenant === tenant && t.source === 'api');
  }
}
