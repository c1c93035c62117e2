import { describe, expect, it } from 'vitest';
import { logicalId, roleStatements, type Synthesized } from '../synth.ts';

const SEND = ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'];
const CONSUME = [
  'sqs:ChangeMessageVisibility',
  'sqs:DeleteMessage',
  'sqs:GetQueueAttributes',
  'sqs:GetQueueUrl',
  'sqs:ReceiveMessage',
];
const READ_SECRET = ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'];
const WRITE_LOGS = ['logs:CreateLogStream', 'logs:PutLogEvents'];

/** What each function's role may do, by resource; anything not listed here it may not touch. */
const GRANTS: Record<string, { queue?: string[]; secret?: string[]; schedules?: true }> = {
  'discord-interactions': { queue: SEND },
  // Both create schedules at runtime (API schedules, follow-ups): checks/schedules.ts.
  api: { queue: SEND, secret: READ_SECRET, schedules: true },
  runner: { queue: CONSUME, secret: READ_SECRET, schedules: true },
  'instagram-publisher': { secret: READ_SECRET },
  // It writes the refreshed token back as a new version of the secret's value.
  'instagram-token-refresh': { secret: [...READ_SECRET, 'secretsmanager:PutSecretValue'].sort() },
};

/** Least privilege: each role names the queue, secret and log group it uses, and nothing else. */
export function permissionChecks(synth: () => Promise<Synthesized>): void {
  describe('permissions', () => {
    for (const [name, grants] of Object.entries(GRANTS)) {
      it(`let ${name} use ${Object.keys(grants).join(' and ')} and write its own logs, nothing more`, async () => {
        const { template, deployment } = await synth();
        const ids = {
          queue: logicalId(template, 'AWS::SQS::Queue', 'QueueName', '-turns.fifo'),
          secret: logicalId(template, 'AWS::SecretsManager::Secret', 'Name', `carrier/${deployment.name}`),
          logs: logicalId(template, 'AWS::Logs::LogGroup', 'LogGroupName', `-${name}`),
        };
        const statements = roleStatements(template, name);
        const byResource = (id: string) =>
          statements
            .filter((s) => JSON.stringify(s.Resource).includes(`"${id}"`))
            .flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]))
            .sort();
        expect(byResource(ids.queue), 'queue').toEqual(grants.queue ?? []);
        expect(byResource(ids.secret), 'secret').toEqual(grants.secret ?? []);
        expect(byResource(ids.logs), 'logs').toEqual(WRITE_LOGS);
        const named = Object.values(ids);
        const elsewhere = statements.filter(
          (s) =>
            !named.some((id) => JSON.stringify(s.Resource).includes(`"${id}"`)) &&
            !(grants.schedules && managesSchedules(s)),
        );
        expect(elsewhere).toEqual([]);
      });
    }
  });
}

/** The schedule-group grant and the pass of the Scheduler role (checked in checks/schedules.ts). */
function managesSchedules(statement: { Action: unknown; Resource: unknown }): boolean {
  const actions = JSON.stringify(statement.Action);
  return (
    actions.includes('"scheduler:') ||
    (actions === '"iam:PassRole"' && JSON.stringify(statement.Resource).includes('SchedulesRole'))
  );
}
