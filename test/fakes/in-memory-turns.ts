import type { TurnRequest } from '#core/ports/turn-request.ts';
import {
  TurnFencedError,
  type ClaimResult,
  type StoredReply,
  type TurnRepository,
  type TurnRow,
  type TurnStatus,
} from '#core/ports/turns.ts';
import { asJsonb, StoreClock } from './store-clock.ts';

type Extra = { timings?: Record<string, number>; usage?: object };

/**
 * The turns table in a Map, with the semantics of its SQL functions (migration 0010): the
 * idempotent claim with a lease, fencing by attempt, the status each write applies to, and the
 * sweep of expired last attempts. Each method runs without awaiting in between, so it is as
 * atomic as one SQL function; rows come back as copies, jsonb columns as parsed JSON.
 * test/store/turns-contract.test.ts runs the same tests against it and the SQL adapters.
 *
 * @example
 * const turns = new InMemoryTurnRepository();
 * await turns.claim(request, { leaseSeconds: 60 }); // { outcome: 'claimed', attempts: 1 }
 */
export class InMemoryTurnRepository implements TurnRepository {
  private readonly turns = new Map<string, TurnRow>();
  private readonly clock: StoreClock;

  constructor(options: { now?: () => Date } = {}) {
    this.clock = new StoreClock(options.now);
  }

  async createJob(request: TurnRequest, apiKeyId?: string): Promise<TurnRow> {
    const row =
      this.turns.get(request.id) ??
      this.insert(request, 'api', { request: asJsonb(request), api_key_id: apiKeyId ?? null });
    return structuredClone(row);
  }

  async claim(request: TurnRequest, options: { leaseSeconds: number }): Promise<ClaimResult> {
    const now = this.clock.tick();
    const t = this.turns.get(request.id) ?? this.insert(request, request.source, {});
    if (t.status === 'done' || t.status === 'failed') return { outcome: 'finished', status: t.status };
    if (t.status === 'answered') {
      return {
        outcome: 'answered',
        attempts: t.attempts,
        result: asJsonb(t.result!),
        delivered: t.delivered,
      };
    }
    if (t.status === 'running' && t.lease_until && +t.lease_until > now) return { outcome: 'busy' };
    Object.assign(t, {
      status: 'running',
      attempts: t.attempts + 1,
      lease_until: new Date(now + options.leaseSeconds * 1000),
      updated_at: new Date(now),
    });
    return { outcome: 'claimed', attempts: t.attempts };
  }

  async answer(id: string, attempt: number, result: StoredReply, extra: Extra = {}): Promise<void> {
    this.fenced('answer', id, attempt, ['running', 'answered'], () => ({
      status: 'answered',
      result: asJsonb(result),
      timings: extra.timings ? asJsonb(extra.timings) : null,
      usage: extra.usage ? (asJsonb(extra.usage) as Record<string, unknown>) : null,
      error: null,
      lease_until: null,
    }));
  }

  async delivered(id: string, sent: number): Promise<void> {
    const t = this.turns.get(id);
    if (t)
      Object.assign(t, { delivered: Math.max(t.delivered, sent), updated_at: new Date(this.clock.tick()) });
  }

  async finish(id: string, attempt: number, delivery: Record<string, unknown>): Promise<void> {
    this.fenced('finish', id, attempt, ['running', 'answered'], (now) => ({
      status: 'done',
      delivery: asJsonb(delivery),
      finished_at: now,
    }));
  }

  async release(id: string, attempt: number, error: string): Promise<void> {
    this.fenced('release', id, attempt, ['running'], () => ({ status: 'queued', lease_until: null, error }));
  }

  async fail(id: string, attempt: number, error: string, delivery: Record<string, unknown>): Promise<void> {
    this.fenced('fail', id, attempt, ['queued', 'running'], (now) => ({
      status: 'failed',
      error,
      delivery: asJsonb(delivery),
      lease_until: null,
      finished_at: now,
    }));
  }

  async recordDelivery(id: string, attempt: number, delivery: Record<string, unknown>): Promise<void> {
    this.fenced('record_delivery', id, attempt, undefined, () => ({ delivery: asJsonb(delivery) }));
  }

  async sweepStale(maxAttempts: number, reason: string): Promise<TurnRow[]> {
    const now = this.clock.tick();
    const swept: TurnRow[] = [];
    for (const t of this.turns.values()) {
      if (t.status !== 'running' || !t.lease_until || +t.lease_until >= now || t.attempts < maxAttempts)
        continue;
      Object.assign(t, {
        status: 'failed',
        error: reason,
        lease_until: null,
        finished_at: new Date(now),
        updated_at: new Date(now),
      });
      swept.push(structuredClone(t));
    }
    return swept;
  }

  async get(id: string): Promise<TurnRow | undefined> {
    const t = this.turns.get(id);
    return t && structuredClone(t);
  }

  async unfinishedJobs(limit = 1000): Promise<TurnRow[]> {
    return this.rows()
      .filter((t) => ['queued', 'running', 'answered'].includes(t.status) && t.request !== null)
      .sort((a, b) => +a.created_at - +b.created_at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .slice(0, limit);
  }

  /** Every turn, for tests that check what was written (a `select * from turns`). */
  rows(): TurnRow[] {
    return [...this.turns.values()].map((t) => structuredClone(t));
  }

  private insert(request: TurnRequest, source: string, extra: Partial<TurnRow>): TurnRow {
    const now = new Date(this.clock.tick());
    const row: TurnRow = {
      id: request.id,
      agent_id: request.character,
      user_id: request.user.id,
      conversation: request.conversation,
      source,
      status: 'queued',
      request: null,
      api_key_id: null,
      attempts: 0,
      lease_until: null,
      result: null,
      error: null,
      timings: null,
      usage: null,
      delivery: null,
      delivered: 0,
      created_at: now,
      updated_at: now,
      finished_at: null,
      ...extra,
    };
    this.turns.set(row.id, row);
    return row;
  }

  /** A write of attempt `attempt`, applied only while it holds the turn and the turn is in `from`. */
  private fenced(
    write: string,
    id: string,
    attempt: number,
    from: readonly TurnStatus[] | undefined,
    set: (now: Date) => Partial<TurnRow>,
  ): void {
    const t = this.turns.get(id);
    if (!t || t.attempts !== attempt || (from && !from.includes(t.status))) {
      throw new TurnFencedError(id, attempt, write);
    }
    const now = new Date(this.clock.tick());
    Object.assign(t, set(now), { updated_at: now });
  }
}
