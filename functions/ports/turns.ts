import { CarrierError } from '../errors.ts';
import type { TurnRequest } from './turn-request.ts';

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
  attempts: number;
  lease_until: Date | string | null;
  result: StoredReply | null;
  error: string | null;
  timings: Record<string, number> | null;
  usage: Record<string, unknown> | null;
  delivery: Record<string, unknown> | null;
  delivered: number;
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
 * The turns table: API jobs and the runner's idempotent claim. `attempt` is the fencing token
 * every write after the claim passes back (TurnFencedError when a later claim holds the turn).
 * Implemented by adapters/store/turns.ts (SQL) and test/fakes/in-memory-turns.ts.
 */
export interface TurnRepository {
  /** Writes an API job before its message is queued; writing the same id again returns the first row. */
  createJob(request: TurnRequest, apiKeyId?: string): Promise<TurnRow>;
  claim(request: TurnRequest, options: { leaseSeconds: number }): Promise<ClaimResult>;
  /** Stores the reply of attempt `attempt`. */
  answer(
    id: string,
    attempt: number,
    result: StoredReply,
    extra?: { timings?: Record<string, number>; usage?: object },
  ): Promise<void>;
  /** Records that the first `sent` messages of the reply are out (monotonic). */
  delivered(id: string, sent: number): Promise<void>;
  finish(id: string, attempt: number, delivery: Record<string, unknown>): Promise<void>;
  release(id: string, attempt: number, error: string): Promise<void>;
  /** `attempt` 0 fails an API job that was never claimed (the queue refused it). */
  fail(id: string, attempt: number, error: string, delivery: Record<string, unknown>): Promise<void>;
  /** Keeps the delivery result of a failed turn's apology, sent after `fail`. */
  recordDelivery(id: string, attempt: number, delivery: Record<string, unknown>): Promise<void>;
  /** Marks failed, with `reason`, the turns whose lease expired on their last attempt; returns them. */
  sweepStale(maxAttempts: number, reason: string): Promise<TurnRow[]>;
  get(id: string): Promise<TurnRow | undefined>;
  /** API jobs not finished yet, oldest first. */
  unfinishedJobs(limit?: number): Promise<TurnRow[]>;
}
