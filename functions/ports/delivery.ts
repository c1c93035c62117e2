import type { JobErrorCode } from './job-errors.ts';
import type { TurnRequest } from './turn-request.ts';

/**
 * What the runner hands to delivery: the reply, or the apology when the turn failed. `reason`
 * is internal (logs); `code` is what a caller may see (ports/job-errors.ts). A reply marked
 * `ephemeral` is for the asker's eyes only (Discord: an ephemeral message).
 */
export type Outcome =
  | { kind: 'reply'; text: string; ephemeral?: boolean }
  | { kind: 'apology'; text: string; reason: string; code: JobErrorCode };

export type DeliveryResult =
  | { status: 'delivered'; messages: number }
  /** The target cannot take it any more (Discord token expired, 10015/50027/10062): final, not retried. */
  | { status: 'undeliverable'; reason: string; code?: string }
  | { status: 'skipped' };

/**
 * How far a delivery got: the number of the outcome's messages already out, in order (a long
 * Discord reply is @original plus follow-ups). Follow-ups are not idempotent on Discord's side,
 * so a rerun skips the first `sent` messages instead of posting them again.
 */
export interface DeliveryProgress {
  sent: number;
}

export interface DeliverOptions {
  /** Progress saved by an earlier attempt at this request and outcome; those messages are skipped. */
  resumeFrom?: DeliveryProgress;
  /** Called after each message is out; persist it (e.g. with the turn) to skip them after a crash. */
  onProgress?(progress: DeliveryProgress): Promise<void>;
}

/**
 * Sends a turn's outcome back where the request came from. Adapters per `reply.kind`:
 * Discord (edit @original, follow-ups), API (job result + signed webhook), none.
 * Must be idempotent: the runner may call it again for the same request after a crash. Editing
 * is idempotent by nature; for messages that are posted, adapters remember progress in-process
 * and take `options.resumeFrom` for progress kept across processes.
 */
export interface Delivery {
  deliver(request: TurnRequest, outcome: Outcome, options?: DeliverOptions): Promise<DeliveryResult>;
}
