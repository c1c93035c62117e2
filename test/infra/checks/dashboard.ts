import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import type { Synthesized } from '../synth.ts';

const toTopic = { AlarmActions: [{ Ref: Match.stringLikeRegexp('^AlarmsTopic') }] };

/** The cost and health view: the dashboard, the daily cost alarm per character and error rates. */
export function dashboardChecks(synth: () => Promise<Synthesized>): void {
  describe('dashboard and cost alarms', () => {
    it('has a dashboard with latency, errors, dead letters and cost per day per character', async () => {
      const { template } = await synth();
      const dashboards = template.findResources('AWS::CloudWatch::Dashboard');
      expect(Object.keys(dashboards)).toHaveLength(1);
      const body = JSON.stringify(Object.values(dashboards)[0]);
      for (const title of [
        'Turn latency p50 / p95',
        'Dead-letter queue depth',
        'Cost per day per character',
        'Instagram quota used',
      ]) {
        expect(body).toContain(title);
      }
      expect(body).toContain('TurnLatency');
      expect(body).toContain('CostMicroUsd');
      expect(body).toContain('QuotaUsed');
    });

    it('alarms when a character spends more than the daily cost threshold', async () => {
      const { template } = await synth();
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        ...toTopic,
        Metrics: [
          Match.objectLike({
            MetricStat: {
              Metric: {
                Namespace: 'Carrier',
                MetricName: 'CostMicroUsd',
                Dimensions: [{ Name: 'character', Value: 'ada' }],
              },
              Period: 86_400,
              Stat: 'Sum',
            },
          }),
        ],
        // Micro-USD: the environment file's default of $20 a day.
        Threshold: 20_000_000,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      });
    });

    it('alarms on the runner and API error rate', async () => {
      const { template } = await synth();
      const rates = Object.values(template.findResources('AWS::CloudWatch::Alarm')).filter((a) =>
        JSON.stringify(a).includes('100 * errors / invocations'),
      );
      expect(rates).toHaveLength(2);
      for (const rate of rates) {
        expect(rate).toMatchObject({
          Properties: { Threshold: 5, EvaluationPeriods: 3, DatapointsToAlarm: 2 },
        });
        expect(JSON.stringify(rate)).toContain('AlarmsTopic');
      }
    });
  });
}
