import { describe, expect, it } from 'vitest';
import type { SecretConcern } from '../../../lib/config/secret-keys.ts';
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

/** The queues by name part: Discord's, the API's, and their dead-letter queues. */
type QueueName = 'turns' | 'api-turns' | 'turns-dlq' | 'api-turns-dlq';

interface Grants {
  /** Creates schedules at runtime (API schedules, follow-ups): checks/schedules.ts. */
  schedules?: true;
  /** Posts to the WebSocket API's connections: checks/live.ts. */
  push?: true;
  queues?: Partial<Record<QueueName, string[]>>;
  secrets?: Partial<Record<SecretConcern, string[]>>;
}

/**
 * What each function's role may do, by resource; anything not listed here it may not touch. Each
 * reads only the secrets of its concerns: the API no model key, the runner no Instagram token.
 */
const GRANTS: Record<string, Grants> = {
  'discord-interactions': { queues: { turns: SEND } },
  api: { queues: { 'api-turns': SEND }, secrets: { database: READ_SECRET }, schedules: true },
  runner: {
    schedules: true,
    push: true,
    queues: { turns: CONSUME, 'api-turns': CONSUME },
    secrets: { database: READ_SECRET, models: READ_SECRET, webhooks: READ_SECRET },
  },
  'dead-letters': {
    push: true,
    queues: { 'turns-dlq': CONSUME, 'api-turns-dlq': CONSUME },
    secrets: { database: READ_SECRET, webhooks: READ_SECRET },
  },
  'turn-sweeper': { queues: { 'api-turns': SEND }, secrets: { database: READ_SECRET } },
  websocket: { queues: { 'api-turns': SEND }, secrets: { database: READ_SECRET }, push: true },
  'job-events': { secrets: { database: READ_SECRET } },
  'instagram-publisher': {
    secrets: { database: READ_SECRET, models: READ_SECRET, instagram: READ_SECRET },
  },
  // It writes the refreshed token back as a new version of the Instagram secret's value.
  'instagram-token-refresh': {
    secrets: { database: READ_SECRET, instagram: [...READ_SECRET, 'secretsmanager:PutSecretValue'].sort() },
  },
};

const QUEUES: QueueName[] = ['turns', 'api-turns', 'turns-dlq', 'api-turns-dlq'];
const CONCERNS: SecretConcern[] = ['database', 'models', 'webhooks', 'instagram'];

/** Least privilege: each role names the queues, secrets and log group it uses, and nothing else. */
export function permissionChecks(synth: () => Promise<Synthesized>): void {
  describe('permissions', () => {
    for (const [name, grants] of Object.entries(GRANTS)) {
      it(`let ${name} use only its queues and secrets and write its own logs`, async () => {
        const { template, deployment } = await synth();
        const env = deployment.name;
        const queue = (q: QueueName) =>
          logicalId(template, 'AWS::SQS::Queue', 'QueueName', `-${env}-${q}.fifo`);
        const secret = (c: SecretConcern) =>
          logicalId(template, 'AWS::SecretsManager::Secret', 'Name', `carrier/${env}/${c}`);
        const logs = logicalId(template, 'AWS::Logs::LogGroup', 'LogGroupName', `-${name}`);
        const statements = roleStatements(template, name);
        const byResource = (id: string) =>
          statements
            .filter((s) => JSON.stringify(s.Resource).includes(`"${id}"`))
            .flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]))
            .sort();
        const named = [logs];
        for (const q of QUEUES) {
          expect(byResource(queue(q)), `${name} on ${q}`).toEqual(grants.queues?.[q] ?? []);
          named.push(queue(q));
        }
        for (const c of CONCERNS) {
          if (c === 'instagram' && !deployment.config.instagram.enabled) continue;
          expect(byResource(secret(c)), `${name} on the ${c} secret`).toEqual(grants.secrets?.[c] ?? []);
          named.push(secret(c));
        }
        expect(byResource(logs), 'logs').toEqual(WRITE_LOGS);
        const elsewhere = statements.filter(
          (s) =>
            !named.some((id) => JSON.stringify(s.Resource).includes(`"${id}"`)) &&
            !(grants.schedules && managesSchedules(s)) &&
            !(grants.push && String(s.Action) === 'execute-api:ManageConnections'),
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
