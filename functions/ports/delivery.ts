import type { TurnRequest } from '../queue/turn-request.ts';

/** What the runner hands to delivery: the reply, or the apology after the last failed attempt. */
export type Outcome = { kind: 'reply'; text: string } | { kind: 'apology'; text: string; reason: string };

export type DeliveryResult =
  | { status: 'delivered'; messages: number }
  /** The target cannot take it any more (Discord token expired, 10015/50027/10062): final, not retried. */
  | { status: 'undeliverable'; reason: string }
  | { status: 'skipped' };

/**
 * Sends a turn's outcome back where the request came from. Adapters per `reply.kind`:
 * Discord (edit @original, follow-ups), API (job result + signed webhook), none.
 * Must be idempotent: the runner may call it again for the same request after a crash.
 */
export interface Delivery {
  deliver(request: TurnRequest, outcome: Outcome): Promise<DeliveryResult>;
}
