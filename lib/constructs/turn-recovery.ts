import { Duration } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Construct } from 'constructs';
import { CarrierFunction, type CarrierFunctionProps } from './carrier-function.ts';
import type { TurnQueue } from './turn-queue.ts';

type FunctionProps = Omit<CarrierFunctionProps, 'name' | 'description' | 'retryAttempts'>;

export interface TurnRecoveryProps {
  environmentName: string;
  /** Every turn queue: their dead letters are settled here. */
  queues: TurnQueue[];
  /** The queue the sweeper sends unqueued API jobs to. */
  apiQueue: TurnQueue;
  deadLetters: FunctionProps;
  sweeper: FunctionProps;
}

/**
 * What makes every accepted turn end answered, apologised or failed with its reason:
 * - the dead-letter consumer, fed by every turn queue's dead-letter queue, fails each turn
 *   that failed every delivery and apologises for it once (Discord edit, API webhook);
 * - the sweeper, every minute, fails turns whose last attempt ran out of time and queues the
 *   API jobs whose row was written but whose message never reached the queue.
 *
 * @example
 * new TurnRecovery(this, 'Recovery', { environmentName: 'dev', queues: [turns, apiTurns], apiQueue: apiTurns, ... });
 */
export class TurnRecovery extends Construct {
  public readonly deadLetters: CarrierFunction;
  public readonly sweeper: CarrierFunction;

  constructor(scope: Construct, id: string, props: TurnRecoveryProps) {
    super(scope, id);
    this.deadLetters = new CarrierFunction(this, 'DeadLetters', {
      ...props.deadLetters,
      name: 'dead-letters',
      description: 'Fails each dead-lettered turn with its reason and apologises for it once',
    });
    for (const queue of props.queues) {
      // One at a time per group is all a dead-letter queue needs; 2 is the event source's minimum.
      this.deadLetters.fn.addEventSource(
        new SqsEventSource(queue.deadLetterQueue, {
          batchSize: 1,
          maxConcurrency: 2,
          reportBatchItemFailures: true,
        }),
      );
    }

    this.sweeper = new CarrierFunction(this, 'Sweeper', {
      ...props.sweeper,
      name: 'turn-sweeper',
      description: 'Fails turns that ran out of time and queues jobs whose enqueue never happened',
      // The next minute's run retries; Lambda's own retries would only overlap it.
      retryAttempts: 0,
      environment: { ...props.sweeper.environment, TURN_QUEUE_URL: props.apiQueue.queue.queueUrl },
    });
    props.apiQueue.queue.grantSendMessages(this.sweeper.fn);
    new Rule(this, 'SweeperSchedule', {
      ruleName: `carrier-${props.environmentName}-turn-sweeper`,
      description: 'Starts turn-sweeper',
      schedule: Schedule.rate(Duration.minutes(1)),
      targets: [new LambdaFunction(this.sweeper.fn, { retryAttempts: 0 })],
    });
  }
}
