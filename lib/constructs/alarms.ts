import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface AlarmsProps {
  environmentName: string;
  /** Subscribed to the topic when given (AWS sends a confirmation e-mail first). */
  email?: string;
}

interface Watch {
  id: string;
  description: string;
  metric: IMetric;
  /** Breaching datapoints needed, out of `evaluationPeriods`. */
  datapointsToAlarm?: number;
  evaluationPeriods?: number;
}

/**
 * The environment's alarms, all sent to one SNS topic (with an optional e-mail subscriber):
 * turns in the dead-letter queue, function errors and throttles, and failing publisher ticks.
 * Every alarm treats missing data as fine: a quiet environment is a healthy one.
 *
 * @example
 * const alarms = new Alarms(this, 'Alarms', { environmentName: 'dev', email: 'ops@example.com' });
 * alarms.watchFunction('Runner', runner.fn);
 */
export class Alarms extends Construct {
  public readonly topic: Topic;
  public readonly alarms: Alarm[] = [];
  private readonly action: SnsAction;

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);
    this.topic = new Topic(this, 'Topic', {
      topicName: `carrier-${props.environmentName}-alarms`,
      displayName: `Carrier ${props.environmentName} alarms`,
      enforceSSL: true,
    });
    if (props.email) this.topic.addSubscription(new EmailSubscription(props.email));
    this.action = new SnsAction(this.topic);
  }

  /**
   * Any turn in a dead-letter queue: a turn that failed every delivery. The dead-letter consumer
   * fails its job and apologises, so a message that stays there means the consumer failed too.
   */
  watchDeadLetters(id: string, deadLetterQueue: IQueue): void {
    this.add({
      id,
      description:
        'A turn failed every delivery and sits in the dead-letter queue; read it, fix the cause, redrive it.',
      metric: deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(5),
        statistic: 'Maximum',
      }),
    });
  }

  /** Errors and throttles of a request-driven function, per 5 minutes. */
  watchFunction(id: string, fn: IFunction): void {
    this.add({
      id: `${id}Errors`,
      description: `${id} function errors: see its log group for the failing requests.`,
      metric: fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
    });
    this.add({
      id: `${id}Throttles`,
      description: `${id} function throttled: raise the concurrency limit or lower the traffic.`,
      metric: fn.metricThrottles({ period: Duration.minutes(5), statistic: 'Sum' }),
    });
  }

  /**
   * A scheduled function that fails on `failing` of its last `of` runs (one run per `period`). A
   * publisher tick that fails is retried by the next, so it alarms on 2 of 3; a daily token
   * refresh alarms on its first failure.
   */
  watchSchedule(id: string, fn: IFunction, period: Duration, runs: { failing: number; of: number }): void {
    this.add({
      id: `${id}Failures`,
      description: `${id} failed on ${runs.failing} of its last ${runs.of} runs; see its log group.`,
      metric: fn.metricErrors({ period, statistic: 'Sum' }),
      evaluationPeriods: runs.of,
      datapointsToAlarm: runs.failing,
    });
    this.add({
      id: `${id}Throttles`,
      description: `${id} was throttled: a scheduled run did not start.`,
      metric: fn.metricThrottles({ period, statistic: 'Sum' }),
    });
  }

  private add(watch: Watch): void {
    const alarm = new Alarm(this, watch.id, {
      alarmDescription: watch.description,
      metric: watch.metric,
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: watch.evaluationPeriods ?? 1,
      datapointsToAlarm: watch.datapointsToAlarm ?? 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(this.action);
    this.alarms.push(alarm);
  }
}
