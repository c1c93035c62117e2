import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { functionId, type Synthesized } from '../synth.ts';
import { FUNCTIONS } from './functions.ts';

const toTopic = { AlarmActions: [{ Ref: Match.stringLikeRegexp('^AlarmsTopic') }] };

/** Alarms: what fires and where it goes. */
export function alarmChecks(synth: () => Promise<Synthesized>): void {
  describe('alarms', () => {
    it('fire on any turn in either dead-letter queue', async () => {
      const { template } = await synth();
      for (const queue of ['^TurnsDeadLetters', '^ApiTurnsDeadLetters']) {
        template.hasResourceProperties('AWS::CloudWatch::Alarm', {
          ...toTopic,
          Namespace: 'AWS/SQS',
          MetricName: 'ApproximateNumberOfMessagesVisible',
          Dimensions: [
            { Name: 'QueueName', Value: { 'Fn::GetAtt': [Match.stringLikeRegexp(queue), 'QueueName'] } },
          ],
          Threshold: 1,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          TreatMissingData: 'notBreaching',
        });
      }
    });

    it('fire on errors and throttles of each request-driven function', async () => {
      const { template } = await synth();
      for (const [name] of FUNCTIONS) {
        for (const metric of ['Errors', 'Throttles']) {
          template.hasResourceProperties('AWS::CloudWatch::Alarm', {
            ...toTopic,
            Namespace: 'AWS/Lambda',
            MetricName: metric,
            Dimensions: [{ Name: 'FunctionName', Value: { Ref: functionId(template, name) } }],
          });
        }
      }
    });

    it('e-mail the address in the environment file, and only when there is one', async () => {
      const { template, deployment } = await synth();
      const email = deployment.config.alarms.email;
      const subscriptions = template.findResources('AWS::SNS::Subscription', {
        Properties: { Protocol: 'email', Endpoint: email },
      });
      expect(Object.keys(subscriptions)).toHaveLength(email ? 1 : 0);
      template.resourceCountIs('AWS::SNS::Subscription', email ? 1 : 0);
    });
  });
}
