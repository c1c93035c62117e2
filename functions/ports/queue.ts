import type { TurnRequest } from '../queue/turn-request.ts';

/**
 * Where producers (Discord interactions, the API, the scheduler) put turns for the runner.
 * FIFO semantics: the message group is `request.conversation`, the deduplication id is
 * `request.id`. Adapters: SQS FIFO in AWS, the in-process queue locally.
 */
export interface TurnQueue {
  enqueue(request: TurnRequest): Promise<void>;
}
