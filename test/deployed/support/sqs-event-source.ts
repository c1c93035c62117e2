import {
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { SqsQueue } from '../peers/sqs.ts';
import type { LambdaFunction } from './lambda-function.ts';

export interface EventSourceOptions {
  /** The mapping's BatchSize (FIFO: at most 10). */
  batchSize: number;
  region: string;
}

/**
 * Lambda's SQS event source, played against the wire-level queue: it long-polls up to
 * `batchSize` messages, invokes the function with them as one SQS event, then deletes every
 * record but the `batchItemFailures` the function reported. When the invocation itself fails
 * (an error, a crash, a timeout) it deletes nothing: the whole batch comes back once its
 * visibility timeout passes, with a higher ApproximateReceiveCount, as on AWS.
 *
 * @example
 * const source = new SqsEventSource(sqs.client, turns, runner, { batchSize: 10, region });
 * source.start();
 * await source.stop();
 */
export class SqsEventSource {
  /** Invocations made, and how many of them failed as a whole. */
  readonly stats = { invocations: 0, failedInvocations: 0, reported: 0, deleted: 0 };
  private running?: Promise<void>;
  private stopping = false;

  constructor(
    private readonly client: SQSClient,
    private readonly queue: SqsQueue,
    private readonly fn: LambdaFunction,
    private readonly options: EventSourceOptions,
  ) {}

  start(): void {
    this.stopping = false;
    this.running ??= this.loop().finally(() => (this.running = undefined));
  }

  /** Finishes the batch in hand, then stops polling. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.running;
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      const { Messages = [] } = await this.client.send(
        new ReceiveMessageCommand({
          QueueUrl: this.queue.url,
          MaxNumberOfMessages: this.options.batchSize,
          WaitTimeSeconds: 1,
          MessageSystemAttributeNames: ['All'],
          MessageAttributeNames: ['All'],
        }),
      );
      if (Messages.length) await this.deliver(Messages);
    }
  }

  private async deliver(messages: Message[]): Promise<void> {
    this.stats.invocations += 1;
    let failed: Set<string>;
    try {
      const { result } = await this.fn.invoke<SQSBatchResponse | null>(this.event(messages));
      failed = new Set((result?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
      this.stats.reported += failed.size;
    } catch {
      this.stats.failedInvocations += 1;
      return;
    }
    const done = messages.filter((m) => !failed.has(m.MessageId!));
    if (!done.length) return;
    await this.client.send(
      new DeleteMessageBatchCommand({
        QueueUrl: this.queue.url,
        Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
      }),
    );
    this.stats.deleted += done.length;
  }

  private event(messages: Message[]): SQSEvent {
    return {
      Records: messages.map((m): SQSRecord => ({
        messageId: m.MessageId!,
        receiptHandle: m.ReceiptHandle!,
        body: m.Body ?? '',
        attributes: m.Attributes as unknown as SQSRecord['attributes'],
        messageAttributes: {},
        md5OfBody: m.MD5OfBody ?? '',
        eventSource: 'aws:sqs',
        eventSourceARN: this.queue.arn,
        awsRegion: this.options.region,
      })),
    };
  }
}
