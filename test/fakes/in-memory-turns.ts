import type { JobErrorCode } from '#core/ports/job-errors.ts';
import type { TurnRequest } from '#core/ports/turn-request.ts';
import {
  InFlightLimitError,
  TurnFencedError,
  type ClaimResult,
  type GiveUpResult,
  type StoredReply,
  type TurnRepository,
  type TurnRow,
  type TurnStatus,
  type TurnTrace,
} from '#core/ports/turns.ts';
import { asJsonb, StoreClock } from './store-clock.ts';

type Extra = { timings?: Record<string, number>; usage?: object; trace?: TurnTrace };
type Failure = { error: string; code: JobErrorCode };

const IN_FLIGHT: readonly TurnStatus[] = ['queued', 'running', 'answered'];
/** An apology claim whose holder never recorded it may be taken again after this long. */
const APOLOGY_CLAIM_MS = 2 * 60_000;

/**
 * The turns table in a Map, with the semantics of its SQL functions (migrations 0010, 0026,
 * 0027, 0029-0031): the idempotent claim with a lease, fencing by attempt, the status each write
 * applies to, the sweep of expired last attempts, jobs owned by a tenant within a key's in-flight
 * cap, the recovery sweep's unqueued jobs, giving up on a dead letter and the one apology, and a
 * forgotten turn's reply never kept. Each method runs without awaiting in between, so it is as
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

  async createJob(
    request: TurnRequest,
    owner?: { apiKeyId: string; tenant: string; maxInFlight?: number },
  ): Promise<TurnRow> {
    const known = this.turns.get(request.id);
    if (known) return structuredClone(known);
    if (owner?.maxInFlight !== undefined) {
      const open = [...this.turns.values()].filter(
        (t) => t.api_key_id === owner.apiKeyId && IN_FLIGHT.includes(t.status),
      ).length;
      if (open >= owner.maxInFlight) throw new InFlightLimitError(owner.maxInFlight);
    }
    const row = this.insert(request, 'api', {
      request: asJsonb(request),
      api_key_id: owner?.apiKeyId ?? null,
      tenant: owner?.tenant ?? null,
    });
    return structuredClone(row);
  }

  async claim(request: TurnRequest, options: { leaseSeconds: number }): Promise<ClaimResult> {
    const now = this.clock.tick();
    const t = this.turns.get(request.id) ?? this.insert(request, request.source, {});
    const taken = standing(t, now);
    if (taken?.outcome === 'finished') return { outcome: 'finished', status: taken.status };
    if (taken) return taken;
    Object.assign(t, {
      status: 'running',
      attempts: t.attempts + 1,
      lease_until: new Date(now + options.leaseSeconds * 1000),
      updated_at: new Date(now),
    });
    return { outcome: 'claimed', attempts: t.attempts };
  }

  async answer(id: string, attempt: number, result: StoredReply, extra: Extra = {}): Promise<void> {
    const forgotten = Boolean(this.turns.get(id)?.forgotten_at);
    this.fenced('answer', id, attempt, ['running', 'answered'], () => ({
      status: 'answered',
      result: asJsonb(forgotten ? { ...result, reply: '' } : result),
      timings: extra.timings ? asJsonb(extra.timings) : null,
      usage: extra.usage ? (asJsonb(extra.usage) as Record<string, unknown>) : null,
      // As migration 0055's trigger: a forgotten turn keeps no trace.
      trace: extra.trace && !forgotten ? asJsonb(extra.trace) : null,
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

  async fail(
    id: string,
    attempt: number,
    failure: Failure,
    delivery: Record<string, unknown>,
  ): Promise<void> {
    this.fenced('fail', id, attempt, ['queued', 'running'], (now) => ({
      status: 'failed',
      error: failure.error,
      error_code: failure.code,
      delivery: asJsonb(delivery),
      lease_until: null,
      finished_at: now,
    }));
  }

  async recordDelivery(id: string, attempt: number, delivery: Record<string, unknown>): Promise<void> {
    this.fenced('record_delivery', id, attempt, undefined, () => ({ delivery: asJsonb(delivery) }));
  }

  async sweepStale(maxAttempts: number, failure: Failure): Promise<TurnRow[]> {
    const now = this.clock.tick();
    const swept: TurnRow[] = [];
    for (const t of this.turns.values()) {
      if (t.status !== 'running' || !t.lease_until || +t.lease_until >= now || t.attempts < maxAttempts)
        continue;
      Object.assign(t, {
        status: 'failed',
        error: failure.error,
        error_code: failure.code,
        lease_until: null,
        finished_at: new Date(now),
        updated_at: new Date(now),
      });
      swept.push(structuredClone(t));
    }
    return swept;
  }

  async markEnqueued(id: string): Promise<void> {
    const t = this.turns.get(id);
    if (!t) return;
    const now = new Date(this.clock.tick());
    Object.assign(t, { enqueued_at: t.enqueued_at ?? now, updated_at: now });
  }

  async unqueuedJobs(graceSeconds: number, now: Date, limit = 100): Promise<TurnRow[]> {
    const before = now.getTime() - graceSeconds * 1000;
    return this.rows()
      .filter(
        (t) =>
          t.status === 'queued' &&
          !t.enqueued_at &&
          t.attempts === 0 &&
          t.request !== null &&
          +t.created_at < before,
      )
      .sort(oldestFirst)
      .slice(0, limit);
  }

  async giveUp(request: TurnRequest, failure: Failure): Promise<GiveUpResult> {
    const now = this.clock.tick();
    const t = this.turns.get(request.id) ?? this.insert(request, request.source, {});
    const taken = standing(t, now);
    if (taken) return taken;
    Object.assign(t, {
      status: 'failed',
      error_code: failure.code,
      lease_until: null,
      error: failure.error + (t.error === null ? '' : `; last error: ${t.error}`),
      finished_at: new Date(now),
      updated_at: new Date(now),
    });
    return { outcome: 'failed', status: 'failed', attempts: t.attempts };
  }

  async claimApology(id: string): Promise<TurnRow | undefined> {
    const now = this.clock.tick();
    const t = this.turns.get(id);
    const status = t?.delivery?.status;
    const free =
      t?.status === 'failed' &&
      (t.delivery === null ||
        status === 'pending' ||
        (status === 'apologising' && +t.updated_at < now - APOLOGY_CLAIM_MS));
    if (!t || !free) return undefined;
    Object.assign(t, { delivery: { status: 'apologising' }, updated_at: new Date(now) });
    return structuredClone(t);
  }

  /** The turn's attempt count (its fencing token) right now, or undefined when there is no such turn. */
  attemptsOf(id: string): number | undefined {
    return this.turns.get(id)?.attempts;
  }

  async get(id: string): Promise<TurnRow | undefined> {
    const t = this.turns.get(id);
    return t && structuredClone(t);
  }

  async unfinishedJobs(limit = 1000): Promise<TurnRow[]> {
    return this.rows()
      .filter((t) => IN_FLIGHT.includes(t.status) && t.request !== null)
      .sort(oldestFirst)
      .slice(0, limit);
  }

  /** Every turn, for tests that check what was written (a `select * from turns`). */
  rows(): TurnRow[] {
    return [...this.turns.values()].map((t) => structuredClone(t));
  }

  /** Sets every turn's created_at to `at` (an `update turns set created_at`), for ordering tests. */
  createdAllAt(at: Date): void {
    for (const t of this.turns.values()) t.created_at = at;
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
      tenant: null,
      attempts: 0,
      lease_until: null,
      result: null,
      error: null,
      error_code: null,
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

function oldestFirst(a: TurnRow, b: TurnRow): number {
  return +a.created_at - +b.created_at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

type Standing =
  | { outcome: 'finished'; status: TurnStatus; attempts: number }
  | { outcome: 'busy' }
  | Extract<ClaimResult, { outcome: 'answered' }>;

/**
 * What a claim or a give-up finds when it may not take the turn: finished, answered (its reply
 * to deliver again) or held by a live lease. Undefined when the turn is free to take.
 */
function standing(t: TurnRow, now: number): Standing | undefined {
  if (t.status === 'done' || t.status === 'failed')
    return { outcome: 'finished', status: t.status, attempts: t.attempts };
  if (t.status === 'answered')
    return { outcome: 'answered', attempts: t.attempts, result: asJsonb(t.result!), delivered: t.delivered };
  if (t.status === 'running' && t.lease_until && +t.lease_until > now) return { outcome: 'busy' };
  return undefined;
}
