import { EventBridgeTrigger } from '../adapters/scheduler/eventbridge-trigger.ts';
import { tableTrigger } from '../adapters/scheduler/table-trigger.ts';
import { SqlScheduleRepository } from '../adapters/store/schedules.ts';
import type { SqlStore } from '../ports/sql.ts';
import type { ManageDeps } from '../schedules/manage.ts';

/**
 * Where runtime schedules go: the store, and EventBridge Scheduler when the stack says so
 * (CARRIER_SCHEDULE_GROUP, CARRIER_SCHEDULER_ROLE_ARN, TURN_QUEUE_ARN); otherwise the table
 * alone, which the local scheduler reads.
 *
 * @example
 * runnerDeps({ ...parts, schedules: scheduleDeps(store, settings.env) });
 */
export function scheduleDeps(store: SqlStore, env: Record<string, string | undefined>): ManageDeps {
  const {
    CARRIER_SCHEDULE_GROUP: groupName,
    CARRIER_SCHEDULER_ROLE_ARN: roleArn,
    TURN_QUEUE_ARN: queueArn,
  } = env;
  return {
    schedules: new SqlScheduleRepository(store),
    trigger:
      groupName && roleArn && queueArn
        ? new EventBridgeTrigger({ groupName, roleArn, queueArn })
        : tableTrigger,
  };
}
