/* eslint-disable @typescript-eslint/no-explicit-any -- template properties are CloudFormation's JSON */
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { functionId, functionProperties, logicalId, roleStatements, type Synthesized } from '../synth.ts';

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

/** EventBridge Scheduler: the group, the character-file schedules and who may manage them. */
export function schedulerChecks(synth: () => Promise<Synthesized>): void {
  describe('EventBridge Scheduler', () => {
    it('has one schedule group for the environment', async () => {
      const { template, deployment } = await synth();
      template.resourceCountIs('AWS::Scheduler::ScheduleGroup', 1);
      template.hasResourceProperties('AWS::Scheduler::ScheduleGroup', { Name: `carrier-${deployment.name}` });
    });

    it('turns each character-file schedule into a schedule that sends its firing to the API lane FIFO queue', async () => {
      const { template, deployment } = await synth();
      const queue = logicalId(template, 'AWS::SQS::Queue', 'QueueName', '-api-turns.fifo');
      const wanted = deployment.characters.flatMap((c) => (c.schedules ?? []).map((s) => ({ c, s })));
      expect(wanted.length).toBeGreaterThan(0);
      template.resourceCountIs('AWS::Scheduler::Schedule', wanted.length);
      const schedules = template.findResources('AWS::Scheduler::Schedule') as Record<
        string,
        { Properties: any }
      >;
      for (const { c, s } of wanted) {
        const key = `c.${c.id}.${s.id}`;
        const found = Object.values(schedules).find((r) => r.Properties.Name === key);
        expect(found, key).toBeDefined();
        const props = found!.Properties;
        expect(props).toMatchObject({
          GroupName: `carrier-${deployment.name}`,
          FlexibleTimeWindow: { Mode: 'OFF' },
          State: 'ENABLED',
          Target: {
            Arn: { 'Fn::GetAtt': [queue, 'Arn'] },
            RoleArn: { 'Fn::GetAtt': [expect.stringMatching(/^SchedulesRole/), 'Arn'] },
            SqsParameters: { MessageGroupId: `${c.id}:schedule:${s.id}` },
          },
        });
        expect(props.ScheduleExpression).toMatch(/^(cron|rate)\(/);
        // The message is the TurnRequest; its id and time are the schedule and the scheduled time.
        const input = JSON.parse(props.Target.Input as string);
        expect(input).toMatchObject({
          id: `sched:${key}:<aws.scheduler.scheduled-time>`,
          receivedAt: '<aws.scheduler.scheduled-time>',
          character: c.id,
          source: 'schedule',
          text: s.prompt,
        });
      }
    });

    it('gives the Scheduler a role only this account and group may assume, to send to the API lane queue', async () => {
      const { template, deployment } = await synth();
      const queue = logicalId(template, 'AWS::SQS::Queue', 'QueueName', '-api-turns.fifo');
      const [role] = Object.values(
        template.findResources('AWS::IAM::Role', {
          Properties: {
            AssumeRolePolicyDocument: { Statement: [{ Principal: { Service: 'scheduler.amazonaws.com' } }] },
          },
        }),
      ) as Array<{ Properties: any }>;
      const trust = role!.Properties.AssumeRolePolicyDocument.Statement[0];
      expect(trust.Condition.StringEquals['aws:SourceAccount']).toEqual({ Ref: 'AWS::AccountId' });
      expect(JSON.stringify(trust.Condition.ArnEquals['aws:SourceArn'])).toContain(
        `:schedule-group/carrier-${deployment.name}`,
      );
      template.hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: Match.stringLikeRegexp('^SchedulesRole') }],
        PolicyDocument: {
          Statement: [
            Match.objectLike({
              Action: Match.arrayWith(['sqs:SendMessage']),
              Resource: { 'Fn::GetAtt': [queue, 'Arn'] },
            }),
          ],
        },
      });
    });

    it('lets the API and the runner manage schedules in this group only, and pass the Scheduler role', async () => {
      const { template, deployment } = await synth();
      for (const name of ['api', 'runner']) {
        const statements = roleStatements(template, name);
        const manage = statements.find((s) => JSON.stringify(s.Action).includes('scheduler:CreateSchedule'));
        expect(JSON.stringify(manage?.Resource)).toContain(`:schedule/carrier-${deployment.name}/*`);
        const pass = statements.find((s) => s.Action === 'iam:PassRole');
        expect(JSON.stringify(pass?.Resource)).toContain('SchedulesRole');
        const env = functionProperties(template, name).Environment as { Variables: Record<string, unknown> };
        expect(env.Variables).toMatchObject({ CARRIER_SCHEDULE_GROUP: `carrier-${deployment.name}` });
        expect(env.Variables).toHaveProperty('CARRIER_SCHEDULER_ROLE_ARN');
        expect(env.Variables).toHaveProperty('TURN_QUEUE_ARN');
      }
    });
  });
}
