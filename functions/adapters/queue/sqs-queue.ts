import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { TurnQueue } from '../../ports/queue.ts';
import type { TurnRequest } from '../../ports/turn-request.ts';
import { fifoId } from './sqs-ids.ts';

export { fifoId } from './sqs-ids.ts';

export interface SqsTurnQueueOptions {
  /** The FIFO queue's URL (ends in `.fifo`). */
  queueUrl: string;
  /** Injected for tests (aws-sdk-client-mock) or to share one client; a default client otherwise. */
  client?: SQSClient;
}

/**
 * The production TurnQueue: SQS FIFO with the conversation as message group (replies stay in
 * order per channel) and the request id as deduplication id (a retried enqueue within SQS's
 * 5-minute window is dropped). It imports only the SQS client, so the interactions bundle stays small.
 *
 * @example
 * const queue = new SqsTurnQueue({ queueUrl: process.env.TURN_QUEUE_URL! });
 * await queue.enqueue(request);
 */
export class SqsTurnQueue implements TurnQueue {
  private readonly client: SQSClient;
  private readonly queueUrl: string;

  constructor(options: SqsTurnQueueOptions) {
    this.queueUrl = options.queueUrl;
    this.client = options.client ?? new SQSClient({});
  }

  async enqueue(request: TurnRequest, options: { signal?: AbortSignal } = {}): Promise<void> {
    await this.client.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: JSON.stringify(request),
        MessageGroupId: fifoId(request.conversation),
        MessageDeduplicationId: fifoId(request.id),
      }),
      options.signal ? { abortSignal: options.signal } : {},
    );
  }
}
