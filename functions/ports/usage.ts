/**
 * The usage ledger and daily budgets (migrations 0040–0041): what each turn used and cost,
 * reserved before the model is called and settled after. Implemented by
 * adapters/store/usage.ts (SQL) and test/fakes/in-memory-usage.ts.
 */

/** A turn's worst-case cost, counted against the day's caps before its model runs. */
export interface Reservation {
  turnId: string;
  agentId: string;
  userId: string;
  /** The budget day (YYYY-MM-DD) in the configured time zone. */
  day: string;
  provider: string;
  model: string;
  reserveMicroUsd: number;
  /** Absent: no cap. A turn is admitted while the committed amount is under the cap. */
  agentCapMicroUsd?: number;
  userCapMicroUsd?: number;
  /** Over a cap, run this model instead of refusing (the caps do not stop it). */
  fallback?: { provider: string; model: string; reserveMicroUsd: number };
}

export type CapName = 'character' | 'user';

export interface ReserveOutcome {
  outcome: 'reserved' | 'fallback' | 'refused';
  overCap?: CapName;
  /** The model the turn may run on: the requested one, or the fallback. */
  provider: string;
  model: string;
  reservedMicroUsd: number;
}

/** What the turn really used; a null cost means its model has no price. */
export interface Settlement {
  requests: number;
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
  costMicroUsd: number | null;
  priceVersion: string;
}

export const USAGE_GROUPINGS = ['total', 'day', 'character', 'user', 'model'] as const;
export type UsageGrouping = (typeof USAGE_GROUPINGS)[number];

export interface UsageQuery {
  by: UsageGrouping;
  /** Budget days, inclusive (YYYY-MM-DD). */
  from?: string;
  to?: string;
  agentId?: string;
  userId?: string;
  /** Only users whose id starts with this (a tenant's `api:<tenant>:`). */
  userPrefix?: string;
}

export interface UsageRow {
  /** The day, character id, user id or provider/model; `total` when not grouped. */
  key: string;
  /** Turns that ran a model (refused ones not included). */
  turns: number;
  refused: number;
  requests: number;
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
  /** Priced turns only: see `unpriced`. */
  costMicroUsd: number;
  /** Settled turns whose model has no price, so their cost is not in costMicroUsd. */
  unpriced: number;
  /** Reservations of turns still running. */
  reservedMicroUsd: number;
}

export interface UsageRepository {
  /** Idempotent per turn id: a retry gets the first outcome and counts nothing twice. */
  reserve(reservation: Reservation): Promise<ReserveOutcome>;
  /** Replaces the reservation with the real figures; settling twice changes nothing. */
  settle(turnId: string, settlement: Settlement): Promise<void>;
  summary(query: UsageQuery): Promise<UsageRow[]>;
}
