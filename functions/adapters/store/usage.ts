import type { SqlStore } from '../../ports/sql.ts';
import type {
  Reservation,
  ReserveOutcome,
  Settlement,
  UsageQuery,
  UsageRepository,
  UsageRow,
} from '../../ports/usage.ts';

interface SummaryRow {
  key: string;
  turns: unknown;
  refused: unknown;
  requests: unknown;
  input_tokens: unknown;
  cached_input_tokens: unknown;
  output_tokens: unknown;
  cost_micro_usd: unknown;
  unpriced: unknown;
  reserved_micro_usd: unknown;
}

/**
 * The usage ledger and budgets through their SQL functions (migrations 0040–0041): one round
 * trip per call; the reservation is one statement whatever the concurrency.
 *
 * @example
 * const usage = new SqlUsageRepository(store);
 * await usage.reserve({ turnId, agentId: 'ada', userId: 'u1', day: '2030-01-01', provider: 'openai', model: 'gpt-4.1-mini', reserveMicroUsd: 900 });
 */
export class SqlUsageRepository implements UsageRepository {
  constructor(private readonly store: SqlStore) {}

  async reserve(r: Reservation): Promise<ReserveOutcome> {
    const [row] = await this.store.rpc<{
      outcome: ReserveOutcome['outcome'];
      over_cap: ReserveOutcome['overCap'] | null;
      provider: string;
      model: string;
      reserved_micro_usd: unknown;
    }>('usage_reserve', {
      p_turn_id: r.turnId,
      p_agent_id: r.agentId,
      p_user_id: r.userId,
      p_day: r.day,
      p_provider: r.provider,
      p_model: r.model,
      p_reserve_micro_usd: r.reserveMicroUsd,
      p_agent_cap_micro_usd: r.agentCapMicroUsd,
      p_user_cap_micro_usd: r.userCapMicroUsd,
      p_fallback_provider: r.fallback?.provider,
      p_fallback_model: r.fallback?.model,
      p_fallback_reserve_micro_usd: r.fallback?.reserveMicroUsd,
    });
    if (!row) throw new Error(`usage_reserve returned no row for ${r.turnId}`);
    return {
      outcome: row.outcome,
      ...(row.over_cap ? { overCap: row.over_cap } : {}),
      provider: row.provider,
      model: row.model,
      reservedMicroUsd: Number(row.reserved_micro_usd),
    };
  }

  async settle(turnId: string, s: Settlement): Promise<void> {
    await this.store.rpc('usage_settle', {
      p_turn_id: turnId,
      p_requests: s.requests,
      p_input_tokens: s.inputTokens,
      p_cached_input_tokens: s.cachedInputTokens,
      p_output_tokens: s.outputTokens,
      p_cost_micro_usd: s.costMicroUsd,
      p_price_version: s.priceVersion,
    });
  }

  async summary(q: UsageQuery): Promise<UsageRow[]> {
    const rows = await this.store.rpc<SummaryRow>('usage_summary', {
      p_by: q.by,
      p_from: q.from,
      p_to: q.to,
      p_agent_id: q.agentId,
      p_user_id: q.userId,
      p_user_prefix: q.userPrefix,
    });
    // Counts are bigint and sums numeric: drivers hand them back as strings or bigints.
    return rows.map((r) => ({
      key: r.key,
      turns: Number(r.turns),
      refused: Number(r.refused),
      requests: Number(r.requests),
      inputTokens: Number(r.input_tokens),
      cachedInputTokens: Number(r.cached_input_tokens),
      outputTokens: Number(r.output_tokens),
      costMicroUsd: Number(r.cost_micro_usd),
      unpriced: Number(r.unpriced),
      reservedMicroUsd: Number(r.reserved_micro_usd),
    }));
  }
}
