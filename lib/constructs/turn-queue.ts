import { Duration } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { VISIBILITY_TIMEOUT_FACTOR } from '../config/environment.ts';

export interface TurnQueueProps {
  environmentName: string;
  /** The runner's timeout: the visibility timeout is this times VISIBILITY_TIMEOUT_FACTOR. */
  runnerTimeoutSeconds: number;
  /** Deliveries before a TurnRequest moves to the dead-letter queue. */
  maxReceiveCount: number;
}

/**
 * The turn queue: SQS FIFO, so one conversation's turns are answered in order (the conversation
 * is the message group), with a FIFO dead-letter queue for turns that failed every delivery.
 * Producers send the TurnRequest id as deduplication id, so two users asking the same thing are
 * two turns. Content-based deduplication is on for EventBridge Scheduler, which cannot send an
 * id: its messages hold the schedule and the scheduled time, so a retried firing is dropped.
 *
 * @example
 * const turns = new TurnQueue(this, 'Turns', { environmentName: 'dev', runnerTimeoutSeconds: 120, maxReceiveCount: 3 });
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
      queueName: `carrier-${props.environmentName}-turns-dlq.fifo`,
      fifo: true,
      contentBasedDeduplication: false,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.queue = new Queue(this, 'Queue', {
      queueName: `carrier-${props.environmentName}-turns.fifo`,
      fifo: true,
      contentBasedDeduplication: true,
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
