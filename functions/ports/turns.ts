import { CarrierError } from '../errors.ts';
import type { TurnRequest } from './turn-request.ts';
import type { JobErrorCode } from './job-errors.ts';

export type TurnStatus = 'queued' | 'running' | 'answered' | 'done' | 'failed';

/** What the runner keeps of an answered turn: enough to deliver it again after a crash. */
export interface StoredReply {
  reply: string;
  model: { provider: string; name: string };
  notices: string[];
  toolCalls: number;
  /** Shown only to the asker where the channel allows it (a budget refusal on Discord). */
  ephemeral?: boolean;
}

/** What a turn recalled and which tools it called: kept with the reply for the people who run it. */
export interface TurnTrace {
  recalled: Array<{
    id: string;
    type: string;
    text: string;
    score: number;
    why: Record<string, number | boolean>;
  }>;
  tools: Array<{ name: string; arguments: string; output?: string }>;
}

/** A `turns` row as the SQL functions return it (timestamps as Date from Postgres, string from RPC). */
export interface TurnRow {
  id: string;
  agent_id: string;
  user_id: string;
  conversation: string;
  source: string;
  status: TurnStatus;
  request: TurnRequest | null;
  api_key_id: string | null;
  /** The API tenant that owns the job; null for Discord and CLI turns. */
  tenant: string | null;
  attempts: number;
  lease_until: Date | string | null;
  result: StoredReply | null;
  /** The internal reason a turn failed: for the operator, never shown to callers. */
  error: string | null;
  /** The stable code callers see for a failed job (ports/job-errors.ts). */
  error_code: string | null;
  timings: Record<string, number> | null;
  usage: Record<string, unknown> | null;
  /** Written with the reply (migration 0055); none once the user was forgotten. */
  trace?: TurnTrace | null;
  delivery: Record<string, unknown> | null;
  delivered: number;
  /** When the queue took the job's message; null until then (the recovery sweep's mark). */
  enqueued_at?: Date | string | null;
  /** Set when the user was forgotten while the turn was in flight: its text and reply are gone. */
  forgotten_at?: Date | string | null;
  created_at: Date | string;
  updated_at: Date | string;
  finished_at: Date | string | null;
}

/**
 * `attempts` is the fencing token: every write after the claim passes it back, and a write
 * whose attempt is no longer the turn's latest throws TurnFencedError.
 */
export type ClaimResult =
  | { outcome: 'claimed'; attempts: number }
  | { outcome: 'busy' }
  /** `delivered`: how many of the reply's messages an earlier attempt already sent. */
  | { outcome: 'answered'; attempts: number; result: StoredReply; delivered: number }
  | { outcome: 'finished'; status: TurnStatus };

/**
 * A turn write changed nothing: a later claim took the turn over (this attempt's lease ran
 * out), or the turn is no longer in a state this write applies to. The losing run must stop:
 * the turn belongs to someone else now.
 */
export class TurnFencedError extends CarrierError {
  override name = 'TurnFencedError';
  constructor(
    readonly turnId: string,
    readonly attempt: number,
    readonly write: string,
  ) {
    super(
      `turn ${turnId}: ${write} by attempt ${attempt} refused; a later attempt holds the turn or it already moved on`,
      'turn_fenced',
    );
  }
}

/**
 * What giving up on a dead-lettered turn found: `failed` (it is failed now, apologise), `busy`
 * (a runner holds a live lease: try later), `answered` (the reply exists: deliver it once more),
 * `finished` (done or failed already).
 */
export type GiveUpResult =
  | { outcome: 'failed' | 'finished'; status: TurnStatus; attempts: number }
  | { outcome: 'busy' }
  | { outcome: 'answered'; attempts: number; result: StoredReply; delivered: number };

/** A key already has as many queued and running turns as it may: nothing was written. */
export class InFlightLimitError extends CarrierError {
  override name = 'InFlightLimitError';
  constructor(readonly maxInFlight: number) {
    super(`the API key already has ${maxInFlight} messages queued or running`, 'too_many_in_flight');
  }
}

/**
 * The turns table: API jobs and the runner's idempotent claim. `attempt` is the fencing token
 * every write after the claim passes back (TurnFencedError when a later claim holds the turn).
 * Implemented by adapters/store/turns.ts (SQL) and test/fakes/in-memory-turns.ts.
 */
export interface TurnRepository {
  /**
   * Writes an API job before its message is queued; writing the same id again returns the first
   * row. With `maxInFlight`, a new job of a key that has that many unfinished turns throws
   * InFlightLimitError (a resend of an existing job never does).
   */
  createJob(
    request: TurnRequest,
    owner?: { apiKeyId: string; tenant: string; maxInFlight?: number },
  ): Promise<TurnRow>;
  claim(request: TurnRequest, options: { leaseSeconds: number }): Promise<ClaimResult>;
  /** Stores the reply of attempt `attempt`. */
  answer(
    id: string,
    attempt: number,
    result: StoredReply,
    extra?: { timings?: Record<string, number>; usage?: object; trace?: TurnTrace },
  ): Promise<void>;
  /** Records that the first `sent` messages of the reply are out (monotonic). */
  delivered(id: string, sent: number): Promise<void>;
  finish(id: string, attempt: number, delivery: Record<string, unknown>): Promise<void>;
  release(id: string, attempt: number, error: string): Promise<void>;
  /**
   * Fails the turn with an internal `error` and the stable `code` callers see. `attempt` 0 fails
   * an API job that was never claimed (the queue refused it).
   */
  fail(
    id: string,
    attempt: number,
    failure: { error: string; code: JobErrorCode },
    delivery: Record<string, unknown>,
  ): Promise<void>;
  /** Keeps the delivery result of a failed turn's apology, sent after `fail`. */
  recordDelivery(id: string, attempt: number, delivery: Record<string, unknown>): Promise<void>;
  /** Marks failed, with `reason`, the turns whose lease expired on their last attempt; returns them. */
  sweepStale(maxAttempts: number, failure: { error: string; code: JobErrorCode }): Promise<TurnRow[]>;
  /** Records that the queue took the job's message (the recovery sweep leaves it alone then). */
  markEnqueued(id: string): Promise<void>;
  /** API jobs written over `graceSeconds` before `now` whose message no queue has taken, oldest first. */
  unqueuedJobs(graceSeconds: number, now: Date, limit?: number): Promise<TurnRow[]>;
  /** Gives up on a dead-lettered turn (see GiveUpResult); writes it failed if it never had a row. */
  giveUp(request: TurnRequest, failure: { error: string; code: JobErrorCode }): Promise<GiveUpResult>;
  /**
   * The right to send a failed turn's apology, once: the row when granted, undefined when an
   * apology went out already (or is going out).
   */
  claimApology(id: string): Promise<TurnRow | undefined>;
  get(id: string): Promise<TurnRow | undefined>;
  /** API jobs not finished yet, oldest first. */
  unfinishedJobs(limit?: number): Promise<TurnRow[]>;
}
