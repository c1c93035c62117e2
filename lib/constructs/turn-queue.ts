import { Duration } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { VISIBILITY_TIMEOUT_FACTOR } from '../config/environment.ts';

export interface TurnQueueProps {
  environmentName: string;
  /** The queue's name part: `turns` (Discord's), `api-turns` (the API's). */
  name: string;
  /** The runner's timeout: the visibility timeout is this times VISIBILITY_TIMEOUT_FACTOR. */
  runnerTimeoutSeconds: number;
  /** Deliveries before a TurnRequest moves to the dead-letter queue. */
  maxReceiveCount: number;
  /** The dead-letter consumer's timeout: the dead-letter queue hides a message 6x this. */
  deadLetterTimeoutSeconds: number;
  /**
   * Deduplicate by content as well: EventBridge Scheduler cannot send a deduplication id, and its
   * messages hold the schedule and the scheduled time, so a retried firing is dropped. Producers
   * that send an id still deduplicate by it.
   */
  contentBasedDeduplication?: boolean;
}

/**
 * A turn queue: SQS FIFO, so one conversation's turns are answered in order (the conversation
 * is the message group), with a FIFO dead-letter queue for turns that failed every delivery.
 * Deduplication is by the TurnRequest id the producers send, not by content: two users asking
 * the same thing are two turns. Discord and the API each have one, so the API's backlog never
 * stands between a Discord command and its 15-minute reply window.
 *
 * @example
 * const turns = new TurnQueue(this, 'Turns', { environmentName: 'dev', name: 'turns', runnerTimeoutSeconds: 120, maxReceiveCount: 3 });
 * turns.queue.grantSendMessages(api.fn);
 */
export class TurnQueue extends Construct {
  public readonly queue: Queue;
  public readonly deadLetterQueue: Queue;
  public readonly maxReceiveCount: number;

  constructor(scope: Construct, id: string, props: TurnQueueProps) {
    super(scope, id);
    this.maxReceiveCount = props.maxReceiveCount;
    this.deadLetterQueue = new Queue(this, 'DeadLetters', {
      queueName: `carrier-${props.environmentName}-${props.name}-dlq.fifo`,
      fifo: true,
      contentBasedDeduplication: false,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      // The consumer's event source needs at least its timeout; 6x, as for the turn queue.
      visibilityTimeout: Duration.seconds(props.deadLetterTimeoutSeconds * VISIBILITY_TIMEOUT_FACTOR),
    });
    this.queue = new Queue(this, 'Queue', {
      queueName: `carrier-${props.environmentName}-${props.name}.fifo`,
      fifo: true,
      contentBasedDeduplication: props.contentBasedDeduplication ?? false,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // AWS guidance for SQS event sources: at least 6x the function timeout, so a batch that is
      // still being retried by Lambda is not handed to a second invocation.
      visibilityTimeout: Duration.seconds(props.runnerTimeoutSeconds * VISIBILITY_TIMEOUT_FACTOR),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: props.maxReceiveCount },
    });
  }
}
