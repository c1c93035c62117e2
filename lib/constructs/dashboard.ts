import { Duration } from 'aws-cdk-lib';
import { Dashboard, GraphWidget, MathExpression, type IWidget } from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { characterMetric } from './carrier-metrics.ts';

export interface CarrierDashboardProps {
  environmentName: string;
  characters: string[];
  /** The functions whose errors are graphed, by name. */
  functions: Record<string, IFunction>;
  deadLetterQueue: IQueue;
  /** Graph the publisher's posts and Instagram quota (when the environment publishes). */
  instagram?: boolean;
}

/**
 * The environment's CloudWatch dashboard: turn latency p50/p95, failed turns and function
 * errors, dead-letter depth, cost per day per character (in dollars) and tokens, and when the
 * environment publishes, the Instagram quota used and posts published and failed.
 *
 * @example
 * new CarrierDashboard(this, 'Dashboard', { environmentName: 'dev', characters: ['ada'], functions: { Runner: fn }, deadLetterQueue });
 */
export class CarrierDashboard extends Construct {
  public readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: CarrierDashboardProps) {
    super(scope, id);
    const { characters } = props;
    const perCharacter = (name: string, statistic: string, period?: Duration) =>
      characters.map((c) => characterMetric(name, c, { statistic, ...(period ? { period } : {}) }));
    const widgets: IWidget[] = [
      new GraphWidget({
        title: 'Turn latency p50 / p95 (ms)',
        left: [...perCharacter('TurnLatency', 'p50'), ...perCharacter('TurnLatency', 'p95')],
      }),
      new GraphWidget({
        title: 'Failed turns and function errors',
        left: perCharacter('FailedTurns', 'Sum'),
        right: Object.entries(props.functions).map(([name, fn]) =>
          fn.metricErrors({ label: `${name} errors`, period: Duration.minutes(5) }),
        ),
      }),
      new GraphWidget({
        title: 'Dead-letter queue depth',
        left: [props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum' })],
      }),
      new GraphWidget({
        title: 'Cost per day per character (USD)',
        left: characters.map(
          (c, i) =>
            new MathExpression({
              expression: `m${i} / 1000000`,
              usingMetrics: {
                [`m${i}`]: characterMetric('CostMicroUsd', c, { statistic: 'Sum', period: Duration.days(1) }),
              },
              label: `${c} USD`,
              period: Duration.days(1),
            }),
        ),
      }),
      new GraphWidget({
        title: 'Tokens and refused turns',
        left: [...perCharacter('InputTokens', 'Sum'), ...perCharacter('OutputTokens', 'Sum')],
        right: perCharacter('RefusedTurns', 'Sum'),
      }),
    ];
    if (props.instagram) {
      widgets.push(
        new GraphWidget({
          title: 'Instagram quota used (of 50 a day) and posts',
          left: perCharacter('QuotaUsed', 'Maximum'),
          right: [...perCharacter('PostsPublished', 'Sum'), ...perCharacter('PostsFailed', 'Sum')],
        }),
      );
    }
    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: `carrier-${props.environmentName}`,
      widgets: [widgets],
    });
  }
}
