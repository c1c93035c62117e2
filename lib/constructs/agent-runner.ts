import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Construct } from 'constructs';
import { CarrierFunction, type CarrierFunctionProps } from './carrier-function.ts';
import type { TurnQueue } from './turn-queue.ts';

export interface AgentRunnerProps extends Omit<CarrierFunctionProps, 'name' | 'description'> {
  /**
   * The queues it answers, each with the concurrent invocations its event source may start
   * (2-1000): Discord's and the API's are capped apart, so neither can take the other's runners.
   */
  queues: Array<{ turns: TurnQueue; maxConcurrency: number }>;
  /** FIFO batches hold at most 10 turns; they run one after another. */
  batchSize: number;
}

/**
 * The agent runner: consumes TurnRequests from the FIFO queues and runs one agent turn each.
 * Failures are reported per record (ReportBatchItemFailures), so one bad turn is retried alone and
 * the rest of its batch is not redone. Its time budget per turn is the function timeout shared by
 * the batch, less a margin to report the batch result.
 *
 * @example
 * new AgentRunner(this, 'Runner', { queues: [{ turns, maxConcurrency: 5 }], batchSize: 1, ...functionProps });
 */
export class AgentRunner extends Construct {
  public readonly fn: CarrierFunction['fn'];
  public readonly logGroup: CarrierFunction['logGroup'];

  constructor(scope: Construct, id: string, props: AgentRunnerProps) {
    super(scope, id);
    const { queues, batchSize, ...functionProps } = props;
    const maxReceiveCount = Math.max(...queues.map((q) => q.turns.maxReceiveCount));
    const turnTimeoutMs = Math.floor(((props.timeoutSeconds - RESPONSE_MARGIN_SECONDS) * 1000) / batchSize);
    const runner = new CarrierFunction(this, 'Runner', {
      ...functionProps,
      name: 'runner',
      description: 'Runs one agent turn per queued TurnRequest and delivers the reply',
      environment: {
        ...functionProps.environment,
        CARRIER_MAX_RECEIVE_COUNT: String(maxReceiveCount),
        CARRIER_TURN_TIMEOUT_MS: String(Math.max(1000, turnTimeoutMs)),
        // A claim outlives the invocation that made it, never the visibility timeout.
        CARRIER_TURN_LEASE_SECONDS: String(props.timeoutSeconds),
      },
    });
    for (const { turns, maxConcurrency } of queues) {
      runner.fn.addEventSource(
        new SqsEventSource(turns.queue, { batchSize, maxConcurrency, reportBatchItemFailures: true }),
      );
    }
    this.fn = runner.fn;
    this.logGroup = runner.logGroup;
  }
}

/** Time kept back from the function timeout to return the batch result before Lambda kills it. */
const RESPONSE_MARGIN_SECONDS = 5;
