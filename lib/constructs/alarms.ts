import { Duration } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  MathExpression,
  TreatMissingData,
  type IMetric,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { pascalId } from '#core/characters/character-id.ts';
import { characterMetric } from './carrier-metrics.ts';

export interface AlarmsProps {
  environmentName: string;
  /** Subscribed to the topic when given (AWS sends a confirmation e-mail first). */
  email?: string;
}

interface Watch {
  id: string;
  description: string;
  metric: IMetric;
  /** Default 1 (any occurrence). */
  threshold?: number;
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

  /** A character whose spend over the last day passed `usd` (the runtime counts micro-USD). */
  watchDailyCost(characters: string[], usd: number): void {
    for (const character of characters) {
      this.add({
        id: `DailyCost${pascalId(character)}`,
        description: `${character} spent more than $${usd} in a day; see carrier usage --by user and its budget settings.`,
        metric: characterMetric('CostMicroUsd', character, { statistic: 'Sum', period: Duration.days(1) }),
        threshold: Math.round(usd * 1_000_000),
      });
    }
  }

  /** More than `percent` of a function's invocations failing over 15 minutes, in 2 of 3 periods. */
  watchErrorRate(id: string, fn: IFunction, percent: number): void {
    this.add({
      id: `${id}ErrorRate`,
      description: `${id}: over ${percent}% of invocations failed; see its log group.`,
      metric: new MathExpression({
        expression: 'IF(invocations > 0, 100 * errors / invocations, 0)',
        usingMetrics: {
          errors: fn.metricErrors({ statistic: 'Sum' }),
          invocations: fn.metricInvocations({ statistic: 'Sum' }),
        },
        period: Duration.minutes(15),
        label: `${id} error rate (%)`,
      }),
      threshold: percent,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
    });
  }

  private add(watch: Watch): void {
    const alarm = new Alarm(this, watch.id, {
      alarmDescription: watch.description,
      metric: watch.metric,
      threshold: watch.threshold ?? 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: watch.evaluationPeriods ?? 1,
      datapointsToAlarm: watch.datapointsToAlarm ?? 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(this.action);
    this.alarms.push(alarm);
  }
}
