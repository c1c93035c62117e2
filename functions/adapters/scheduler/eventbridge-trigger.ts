import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  SchedulerClient,
  UpdateScheduleCommand,
  type CreateScheduleCommandInput,
} from '@aws-sdk/client-scheduler';
import type { ScheduleTrigger, TriggeredSchedule } from '../../ports/schedule-trigger.ts';

/** What EventBridge Scheduler writes in place of this text when it sends the message. */
const SCHEDULED_TIME = '<aws.scheduler.scheduled-time>';

export interface EventBridgeTriggerOptions {
  /** The environment's schedule group (`carrier-<env>`); the IAM policy allows this group only. */
  groupName: string;
  /** The role EventBridge Scheduler assumes to send to the turn queue. */
  roleArn: string;
  /** The turn queue (FIFO, content-based deduplication). */
  queueArn: string;
  client?: SchedulerClient;
}

/**
 * Runtime schedules (API, follow-ups) on EventBridge Scheduler: one schedule per key in the
 * environment's group, targeting the turn queue with the firing's message (its scheduled time
 * filled in by the Scheduler) and the character and conversation as FIFO group. One-time
 * schedules delete themselves after firing (ActionAfterCompletion DELETE).
 *
 * @example
 * const trigger = new EventBridgeTrigger({ groupName: 'carrier-dev', roleArn, queueArn });
 * await trigger.arm(triggered(schedule));
 */
export class EventBridgeTrigger implements ScheduleTrigger {
  private readonly client: SchedulerClient;

  constructor(private readonly options: EventBridgeTriggerOptions) {
    this.client = options.client ?? new SchedulerClient({});
  }

  async arm(schedule: TriggeredSchedule): Promise<void> {
    const input: CreateScheduleCommandInput = {
      Name: schedule.key,
      GroupName: this.options.groupName,
      ScheduleExpression: schedule.expression.expression,
      ScheduleExpressionTimezone: schedule.expression.timezone,
      FlexibleTimeWindow: { Mode: 'OFF' },
      State: 'ENABLED',
      ActionAfterCompletion: schedule.once ? 'DELETE' : 'NONE',
      Target: {
        Arn: this.options.queueArn,
        RoleArn: this.options.roleArn,
        Input: JSON.stringify(schedule.message(SCHEDULED_TIME)),
        SqsParameters: { MessageGroupId: schedule.group },
        RetryPolicy: { MaximumRetryAttempts: 5, MaximumEventAgeInSeconds: 3600 },
      },
    };
    try {
      await this.client.send(new CreateScheduleCommand(input));
    } catch (error) {
      if (!(error instanceof ConflictException)) throw error;
      await this.client.send(new UpdateScheduleCommand(input));
    }
  }

  async disarm(key: string): Promise<void> {
    try {
      await this.client.send(new DeleteScheduleCommand({ Name: key, GroupName: this.options.groupName }));
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException)) throw error;
    }
  }
}
