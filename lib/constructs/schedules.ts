import { Stack } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { CfnSchedule, CfnScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import { Construct } from 'constructs';
import type { Character } from '#core/characters/schema.ts';
import { pascalId } from '#core/characters/character-id.ts';
import { schedulerExpression } from '#core/schedules/expression.ts';
import { firingGroup, firingMessage, SCHEDULED_TIME } from '#core/schedules/firing.ts';
import { characterSchedules } from '#core/schedules/spec.ts';
import { acknowledgeWildcardResource } from './acknowledge-wildcard-resource.ts';
import type { TurnQueue } from './turn-queue.ts';

export interface SchedulesProps {
  environmentName: string;
  turns: TurnQueue;
  /** The deployed characters; each one's `schedules` become schedules in the group. */
  characters: Character[];
}

/**
 * EventBridge Scheduler for one environment: the schedule group `carrier-<env>`, the role the
 * Scheduler assumes to send to the turn queue (trusted only for this account and group), and
 * one schedule per character-file schedule. Each sends the firing's TurnRequest to the FIFO
 * queue with its scheduled time filled in, in the character's and conversation's message group;
 * the queue deduplicates by content, and the scheduled time makes the content, so a retried
 * firing is answered once. API and follow-up schedules are created at runtime in the same group
 * by the functions granted `grantManage`.
 *
 * @example
 * const schedules = new Schedules(this, 'Schedules', { environmentName: 'dev', turns, characters });
 * schedules.grantManage(api.fn);
 */
export class Schedules extends Construct {
  public readonly groupName: string;
  public readonly role: Role;
  private readonly queueArn: string;

  constructor(scope: Construct, id: string, props: SchedulesProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.groupName = `carrier-${props.environmentName}`;
    this.queueArn = props.turns.queue.queueArn;
    const group = new CfnScheduleGroup(this, 'Group', { name: this.groupName });
    this.role = new Role(this, 'Role', {
      description: `EventBridge Scheduler sends the ${this.groupName} schedules' turns to the turn queue`,
      // Confused-deputy guard: only this account's schedules in this group may assume it.
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnEquals: { 'aws:SourceArn': this.groupArn() },
        },
      }),
    });
    props.turns.queue.grantSendMessages(this.role);

    for (const character of props.characters) {
      for (const schedule of characterSchedules(character.id, character.schedules ?? [], new Date(0))) {
        const { expression, timezone } = schedulerExpression(schedule.timing);
        const cfn = new CfnSchedule(this, `${pascalId(character.id)}${pascalId(schedule.id)}`, {
          name: schedule.key,
          groupName: this.groupName,
          description: `${character.id}: ${schedule.id}`,
          scheduleExpression: expression,
          scheduleExpressionTimezone: timezone,
          flexibleTimeWindow: { mode: 'OFF' },
          state: 'ENABLED',
          target: {
            arn: this.queueArn,
            roleArn: this.role.roleArn,
            input: JSON.stringify(firingMessage(schedule, SCHEDULED_TIME)),
            sqsParameters: { messageGroupId: firingGroup(schedule) },
            retryPolicy: { maximumRetryAttempts: 5, maximumEventAgeInSeconds: 3600 },
          },
        });
        cfn.addDependency(group);
      }
    }
  }

  /**
   * Lets `fn` create, change and delete schedules in this group only, and hand them the
   * Scheduler role; tells it where through CARRIER_SCHEDULE_GROUP, CARRIER_SCHEDULER_ROLE_ARN
   * and TURN_QUEUE_ARN.
   */
  grantManage(fn: IFunction & { addEnvironment(key: string, value: string): unknown }): void {
    const stack = Stack.of(this);
    const schedules = `arn:${stack.partition}:scheduler:${stack.region}:${stack.account}:schedule/${this.groupName}/*`;
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: [
          'scheduler:CreateSchedule',
          'scheduler:UpdateSchedule',
          'scheduler:DeleteSchedule',
          'scheduler:GetSchedule',
        ],
        resources: [schedules],
      }),
    );
    this.role.grantPassRole(fn.grantPrincipal);
    // The wildcard is the schedule names in one group.
    acknowledgeWildcardResource(
      fn,
      schedules,
      'Schedules are created at runtime with names the API and the agents choose; the grant is limited to ' +
        "this environment's schedule group, which holds nothing else.",
    );
    fn.addEnvironment('CARRIER_SCHEDULE_GROUP', this.groupName);
    fn.addEnvironment('CARRIER_SCHEDULER_ROLE_ARN', this.role.roleArn);
    fn.addEnvironment('TURN_QUEUE_ARN', this.queueArn);
  }

  private groupArn(): string {
    const stack = Stack.of(this);
    return `arn:${stack.partition}:scheduler:${stack.region}:${stack.account}:schedule-group/${this.groupName}`;
  }
}
