import type { SqlStore } from '../../ports/sql.ts';
import type { JobErrorCode } from '../../ports/job-errors.ts';
import type { TurnRequest } from '../../ports/turn-request.ts';
import {
  InFlightLimitError,
  type GiveUpResult,
  TurnFencedError,
  type ClaimResult,
  type StoredReply,
  type TurnRepository,
  type TurnRow,
  type TurnStatus,
  type TurnTrace,
} from '../../ports/turns.ts';

/**
 * The turns table through its SQL functions (migration 0010): API jobs and the runner's
 * idempotent claim. Every method is one round trip.
 *
 * @example
 * const turns = new SqlTurnRepository(store);
 * const claim = await turns.claim(request, { leaseSeconds: 120 });
 */
export class SqlTurnRepository implements TurnRepository {
  constructor(private readonly store: SqlStore) {}

  /** Writes an API job before its message is queued; writing the same id again returns the first row. */
  async createJob(
    request: TurnRequest,
    owner?: { apiKeyId: string; tenant: string; maxInFlight?: number },
  ): Promise<TurnRow> {
    const [row] = await this.store.rpc<TurnRow>('turn_create_job', {
      p_id: request.id,
      p_agent_id: request.character,
      p_user_id: request.user.id,
      p_conversation: request.conversation,
      p_request: request,
      p_api_key_id: owner?.apiKeyId,
      p_tenant: owner?.tenant,
      p_max_in_flight: owner?.maxInFlight,
    });
    if (!row) {
      if (owner?.maxInFlight !== undefined) throw new InFlightLimitError(owner.maxInFlight);
      throw new Error('turn_create_job returned no row');
    }
    return row;
  }

  async claim(request: TurnRequest, options: { leaseSeconds: number }): Promise<ClaimResult> {
    const [row] = await this.store.rpc<{
      outcome: ClaimResult['outcome'];
      status: TurnStatus;
      attempts: number;
      result: StoredReply | null;
      delivered: number;
    }>('turn_claim', {
      p_id: request.id,
      p_agent_id: request.character,
      p_user_id: request.user.id,
      p_conversation: request.conversation,
      p_source: request.source,
      p_lease_seconds: options.leaseSeconds,
    });
    if (!row) throw new Error(`turn_claim returned no row for ${request.id}`);
    switch (row.outcome) {
      case 'claimed':
        return { outcome: 'claimed', attempts: row.attempts };
      case 'answered':
        return { outcome: 'answered', attempts: row.attempts, result: row.result!, delivered: row.delivered };
      case 'finished':
        return { outcome: 'finished', status: row.status };
      default:
        return { outcome: 'busy' };
    }
  }

  /** Stores the reply of attempt `attempt`; throws TurnFencedError when a later claim took the turn. */
  async answer(
    id: string,
    attempt: number,
    result: StoredReply,
    extra: { timings?: Record<string, number>; usage?: object; trace?: TurnTrace } = {},
  ): Promise<void> {
    await this.fenced('turn_answer', id, attempt, {
      p_result: result,
      p_timings: extra.timings ?? null,
      p_usage: extra.usage ?? null,
      p_trace: extra.trace ?? null,
    });
  }

  /** Records that the first `sent` messages of the reply are out (monotonic). */
  async delivered(id: string, sent: number): Promise<void> {
    await this.store.rpc('turn_delivered', { p_id: id, p_sent: sent });
  }

  async finish(id: string, attempt: number, delivery: Record<string, unknown>): Promise<void> {
    await this.fenced('turn_finish', id, attempt, { p_delivery: delivery });
  }

  async release(id: string, attempt: number, error: string): Promise<void> {
    await this.fenced('turn_release', id, attempt, { p_error: error });
  }

  /** `attempt` 0 fails an API job that was never claimed (the queue refused it). */
  async fail(
    id: string,
    attempt: number,
    failure: { error: string; code: JobErrorCode },
    delivery: Record<string, unknown>,
  ): Promise<void> {
    await this.fenced('turn_fail', id, attempt, {
      p_error: failure.error,
      p_error_code: failure.code,
      p_delivery: delivery,
    });
  }

  /** Keeps the delivery result of a failed turn's apology, sent after `fail`. */
  async recordDelivery(id: string, attempt: number, delivery: Record<string, unknown>): Promise<void> {
    await this.fenced('turn_record_delivery', id, attempt, { p_delivery: delivery });
  }

  /**
   * Marks failed, with `reason`, the turns whose lease expired on their last attempt
   * (`attempts` reached `maxAttempts`): no retry will come for them. Returns them.
   */
  async sweepStale(maxAttempts: number, failure: { error: string; code: JobErrorCode }): Promise<TurnRow[]> {
    return this.store.rpc<TurnRow>('turn_sweep_stale', {
      p_max_attempts: maxAttempts,
      p_reason: failure.error,
      p_error_code: failure.code,
    });
  }

  async markEnqueued(id: string): Promise<void> {
    await this.store.rpc('turn_mark_enqueued', { p_id: id });
  }

  async unqueuedJobs(graceSeconds: number, now: Date, limit = 100): Promise<TurnRow[]> {
    return this.store.rpc<TurnRow>('turn_unqueued_jobs', {
      p_grace_seconds: graceSeconds,
      p_limit: limit,
      p_now: now,
    });
  }

  async giveUp(request: TurnRequest, failure: { error: string; code: JobErrorCode }): Promise<GiveUpResult> {
    const [row] = await this.store.rpc<{
      outcome: GiveUpResult['outcome'];
      status: TurnStatus;
      attempts: number;
      result: StoredReply | null;
      delivered: number;
    }>('turn_give_up', {
      p_id: request.id,
      p_agent_id: request.character,
      p_user_id: request.user.id,
      p_conversation: request.conversation,
      p_source: request.source,
      p_error: failure.error,
      p_error_code: failure.code,
    });
    if (!row) throw new Error(`turn_give_up returned no row for ${request.id}`);
    if (row.outcome === 'busy') return { outcome: 'busy' };
    if (row.outcome === 'answered')
      return { outcome: 'answered', attempts: row.attempts, result: row.result!, delivered: row.delivered };
    return { outcome: row.outcome, status: row.status, attempts: row.attempts };
  }

  async claimApology(id: string): Promise<TurnRow | undefined> {
    return (await this.store.rpc<TurnRow>('turn_claim_apology', { p_id: id }))[0];
  }

  async get(id: string): Promise<TurnRow | undefined> {
    return (await this.store.rpc<TurnRow>('turn_get', { p_id: id }))[0];
  }

  /** API jobs not finished yet, oldest first. */
  async unfinishedJobs(limit = 1000): Promise<TurnRow[]> {
    return this.store.rpc<TurnRow>('turn_unfinished_jobs', { p_limit: limit });
  }

  private async fenced(fn: string, id: string, attempt: number, args: Record<string, unknown>) {
    const rows = await this.store.rpc<TurnRow>(fn, { p_id: id, p_attempt: attempt, ...args });
    if (rows.length === 0) throw new TurnFencedError(id, attempt, fn.replace(/^turn_/, ''));
  }

  private async one(fn: string, args: Record<string, unknown>): Promise<TurnRow> {
    const [row] = await this.store.rpc<TurnRow>(fn, args);
    if (!row) throw new Error(`${fn} returned no row`);
    return row;
  }
}
