import type { TurnRequest } from './turn-request.ts';

/**
 * Where producers (Discord interactions, the API, the scheduler) put turns for the runner.
 * FIFO semantics: the message group is `request.conversation`, the deduplication id is
 * `request.id`. Adapters: SQS FIFO in AWS, the in-process queue locally.
 */
export interface TurnQueue {
  /** `signal` aborts a send that is too slow, so a late send cannot land after the caller gave up. */
  enqueue(request: TurnRequest, options?: { signal?: AbortSignal }): Promise<void>;
}
