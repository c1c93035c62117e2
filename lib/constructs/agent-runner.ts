import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Construct } from 'constructs';
import { CarrierFunction, type CarrierFunctionProps } from './carrier-function.ts';
import type { TurnQueue } from './turn-queue.ts';

export interface AgentRunnerProps extends Omit<CarrierFunctionProps, 'name' | 'description'> {
  turns: TurnQueue;
  secret: ISecret;
  /** FIFO batches hold at most 10 turns; they run one after another. */
  batchSize: number;
  /** Concurrent invocations the event source may start (2-1000). */
  maxConcurrency: number;
}

/**
 * The agent runner: consumes TurnRequests from the FIFO queue and runs one agent turn each.
 * Failures are reported per record (ReportBatchItemFailures), so one bad turn is retried alone and
 * the rest of its batch is not redone. Its time budget per turn is the function timeout shared by
 * the batch, less a margin to report the batch result.
 *
 * @example
 * new AgentRunner(this, 'Runner', { turns, secret, batchSize: 1, maxConcurrency: 5, ...functionProps });
 */
export class AgentRunner extends Construct {
  public readonly fn: CarrierFunction['fn'];
  public readonly logGroup: CarrierFunction['logGroup'];

  constructor(scope: Construct, id: string, props: AgentRunnerProps) {
    super(scope, id);
    const { turns, secret, batchSize, maxConcurrency, ...functionProps } = props;
    const turnTimeoutMs = Math.floor(((props.timeoutSeconds - RESPONSE_MARGIN_SECONDS) * 1000) / batchSize);
    const runner = new CarrierFunction(this, 'Runner', {
      ...functionProps,
      name: 'runner',
      description: 'Runs one agent turn per queued TurnRequest and delivers the reply',
      environment: {
        ...functionProps.environment,
        CARRIER_SECRET_ARN: secret.secretArn,
        CARRIER_MAX_RECEIVE_COUNT: String(turns.maxReceiveCount),
        CARRIER_TURN_TIMEOUT_MS: String(Math.max(1000, turnTimeoutMs)),
        // A claim outlives the invocation that made it, never the visibility timeout.
        CARRIER_TURN_LEASE_SECONDS: String(props.timeoutSeconds),
      },
    });
    secret.grantRead(runner.fn);
    runner.fn.addEventSource(
      new SqsEventSource(turns.queue, {
        batchSize,
        maxConcurrency,
        reportBatchItemFailures: true,
      }),
    );
    this.fn = runner.fn;
    this.logGroup = runner.logGroup;
  }
}

/** Time kept back from the function timeout to return the batch result before Lambda kills it. */
const RESPONSE_MARGIN_SECONDS = 5;
