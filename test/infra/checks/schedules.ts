import { describe, it } from 'vitest';
import { functionId, type Synthesized } from '../synth.ts';

/** EventBridge schedules: the publisher's tick and the daily token refresh. */
export function scheduleChecks(synth: () => Promise<Synthesized>): void {
  describe('schedules', () => {
    it('tick the Instagram publisher at the configured rate', async () => {
      const { template, deployment } = await synth();
      const minutes = deployment.config.instagram.publishEveryMinutes;
      template.hasResourceProperties('AWS::Events::Rule', {
        ScheduleExpression: `rate(${minutes} minute${minutes === 1 ? '' : 's'})`,
        State: 'ENABLED',
        Targets: [
          {
            Arn: { 'Fn::GetAtt': [functionId(template, 'instagram-publisher'), 'Arn'] },
            RetryPolicy: { MaximumRetryAttempts: 2 },
          },
        ],
      });
    });

    it('refresh the Instagram tokens once a day at the configured hour (UTC)', async () => {
      const { template, deployment } = await synth();
      template.hasResourceProperties('AWS::Events::Rule', {
        ScheduleExpression: `cron(0 ${deployment.config.instagram.tokenRefreshHourUtc} * * ? *)`,
        Targets: [{ Arn: { 'Fn::GetAtt': [functionId(template, 'instagram-token-refresh'), 'Arn'] } }],
      });
    });

    it('sweep the turns every minute', async () => {
      const { template } = await synth();
      template.hasResourceProperties('AWS::Events::Rule', {
        ScheduleExpression: 'rate(1 minute)',
        Targets: [
          {
            Arn: { 'Fn::GetAtt': [functionId(template, 'turn-sweeper'), 'Arn'] },
            RetryPolicy: { MaximumRetryAttempts: 0 },
          },
        ],
      });
    });

    it('leave retries to the next run instead of Lambda’s async retries', async () => {
      const { template } = await synth();
      for (const name of ['instagram-publisher', 'instagram-token-refresh', 'turn-sweeper']) {
        template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
          FunctionName: { Ref: functionId(template, name) },
          MaximumRetryAttempts: 0,
        });
      }
    });
  });
}
