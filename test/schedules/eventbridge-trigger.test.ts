import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventBridgeTrigger } from '#core/adapters/scheduler/eventbridge-trigger.ts';
import { triggered } from '#core/schedules/manage.ts';
import type { Schedule } from '#core/schedules/schedule.ts';
import { FakeSchedulerApi } from '#test/fakes/scheduler-api.ts';

let fake: FakeSchedulerApi;
let trigger: EventBridgeTrigger;
const QUEUE = 'arn:aws:sqs:eu-west-1:123456789012:carrier-dev-turns.fifo';
beforeAll(async () => {
  fake = await FakeSchedulerApi.start();
  const client = new SchedulerClient({
    endpoint: fake.url,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test-secret' },
  });
  trigger = new EventBridgeTrigger({
    groupName: 'carrier-dev',
    roleArn: 'arn:aws:iam::123456789012:role/scheduler',
    queueArn: QUEUE,
    client,
  });
});
afterAll(() => fake.close());

const followup: Schedule = {
  key: 'f.abc',
  agentId: 'ada',
  id: 'f.abc',
  source: 'followup',
  owner: '42',
  timing: { kind: 'at', at: '2030-01-01T09:02:00.000Z' },
  prompt: 'Remind the user of what you promised to follow up on: stretch',
  conversation: '123456789012345678',
  user: { id: '42', name: 'Sam' },
  deliver: { kind: 'discord', channelId: '123456789012345678' },
  createdAt: new Date('2030-01-01T09:00:00Z'),
  lastFiredAt: null,
};

describe('runtime schedules on EventBridge Scheduler', () => {
  it('creates a one-time schedule in the group that sends its firing to the FIFO queue, then deletes itself', async () => {
    await trigger.arm(triggered(followup));
    const stored = fake.schedules.get('carrier-dev/f.abc');
    expect(stored).toMatchObject({
      GroupName: 'carrier-dev',
      ScheduleExpression: 'at(2030-01-01T09:02:00)',
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      Target: {
        Arn: QUEUE,
        RoleArn: 'arn:aws:iam::123456789012:role/scheduler',
        SqsParameters: { MessageGroupId: 'ada:123456789012345678' },
      },
    });
    expect(JSON.parse(stored!.Target ? (stored!.Target as { Input: string }).Input : '{}')).toMatchObject({
      id: 'sched:f.abc:<aws.scheduler.scheduled-time>',
      receivedAt: '<aws.scheduler.scheduled-time>',
      reply: { kind: 'discord-channel', channelId: '123456789012345678' },
      source: 'schedule',
    });
  });

  it('replaces a schedule that exists (Conflict → Update) and keeps recurring ones after firing', async () => {
    const daily: Schedule = {
      ...followup,
      timing: { kind: 'cron', expression: '0 9 * * 1-5', timezone: 'Europe/Paris' },
    };
    await trigger.arm(triggered(daily));
    expect(fake.requests.slice(-2).map((r) => [r.method, r.status])).toEqual([
      ['POST', 409],
      ['PUT', 200],
    ]);
    expect(fake.schedules.get('carrier-dev/f.abc')).toMatchObject({
      ScheduleExpression: 'cron(0 9 ? * 2-6 *)',
      ScheduleExpressionTimezone: 'Europe/Paris',
      ActionAfterCompletion: 'NONE',
    });
  });

  it('deletes a schedule from the group, and a second delete of a gone one is not an error', async () => {
    await trigger.disarm('f.abc');
    await trigger.disarm('f.abc');
    expect(fake.schedules.size).toBe(0);
    expect(fake.requests.slice(-2).map((r) => [r.method, r.query.groupName, r.status])).toEqual([
      ['DELETE', 'carrier-dev', 200],
      ['DELETE', 'carrier-dev', 404],
    ]);
  });
});
