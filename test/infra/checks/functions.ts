import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import type { FunctionSettings } from '../../../lib/config/environment.ts';
import { secretKeys } from '../../../lib/config/secret-keys.ts';
import { CarrierStack } from '../../../lib/stacks/carrier-stack.ts';
import { functionProperties, functionVariables, logicalId, type Synthesized } from '../synth.ts';

/** Each deployed function's name suffix and its settings block in the environment file. */
export const FUNCTIONS = [
  ['discord-interactions', 'interactions'],
  ['api', 'api'],
  ['runner', 'runner'],
  ['instagram-publisher', 'publisher'],
  ['instagram-token-refresh', 'tokenRefresh'],
] as const;

/** Functions: runtime, settings, variables, logs. */
export function functionChecks(synth: () => Promise<Synthesized>): void {
  describe('functions', () => {
    it('run nodejs24.x on arm64 with the memory and timeout the environment file gives each', async () => {
      const s = await synth();
      for (const [name, key] of FUNCTIONS) {
        const settings: FunctionSettings = s.deployment.config.functions[key];
        expect(functionProperties(s.template, name), name).toMatchObject({
          Runtime: 'nodejs24.x',
          Architectures: ['arm64'],
          Handler: 'index.handler',
          MemorySize: settings.memoryMb,
          Timeout: settings.timeoutSeconds,
        });
      }
    });

    it('carry no secret values in environment variables, only the secret’s ARN', async () => {
      const s = await synth();
      const secretNames = secretKeys(s.deployment).map((k) => k.name);
      const secret = logicalId(
        s.template,
        'AWS::SecretsManager::Secret',
        'Name',
        `carrier/${s.deployment.name}`,
      );
      for (const [name] of FUNCTIONS) {
        const variables = functionVariables(s.template, name);
        const names = Object.keys(variables);
        expect(
          names.filter((v) => secretNames.includes(v)),
          name,
        ).toEqual([]);
        expect(
          names.filter((v) => /(TOKEN|PASSWORD|SECRET|API_KEY|SERVICE_ROLE_KEY)$/.test(v)),
          name,
        ).toEqual([]);
        if (variables.CARRIER_SECRET_ARN) expect(variables.CARRIER_SECRET_ARN, name).toEqual({ Ref: secret });
      }
    });

    it('log to their own log group with the environment’s retention', async () => {
      const s = await synth();
      for (const [name] of FUNCTIONS) {
        s.template.hasResourceProperties('AWS::Logs::LogGroup', {
          LogGroupName: `/aws/lambda/carrier-${s.deployment.name}-${name}`,
          RetentionInDays: s.deployment.config.logRetentionDays,
        });
      }
    });

    it('give the producers the queue URL and the served characters', async () => {
      const s = await synth();
      const queue = logicalId(s.template, 'AWS::SQS::Queue', 'QueueName', '-turns.fifo');
      for (const name of ['discord-interactions', 'api']) {
        expect(functionVariables(s.template, name), name).toMatchObject({
          TURN_QUEUE_URL: { Ref: queue },
          CARRIER_CHARACTERS: s.deployment.config.characters.join(','),
        });
      }
    });

    it('tell the runner the queue’s maxReceiveCount and a turn budget that fits the function timeout', async () => {
      const s = await synth();
      const { queue, functions } = s.deployment.config;
      const variables = functionVariables(s.template, 'runner');
      expect(variables).toMatchObject({
        CARRIER_MAX_RECEIVE_COUNT: String(queue.maxReceiveCount),
        CARRIER_TURN_LEASE_SECONDS: String(functions.runner.timeoutSeconds),
      });
      const turnMs = Number(variables.CARRIER_TURN_TIMEOUT_MS);
      expect(turnMs * queue.batchSize).toBeLessThan(functions.runner.timeoutSeconds * 1000);
    });

    it('give the publisher its Graph API flavour and version, and a tick budget inside its timeout', async () => {
      const s = await synth();
      const { instagram, functions } = s.deployment.config;
      const variables = functionVariables(s.template, 'instagram-publisher');
      expect(variables).toMatchObject({
        INSTAGRAM_API: instagram.api,
        INSTAGRAM_GRAPH_VERSION: instagram.graphVersion,
      });
      expect(Number(variables.CARRIER_PUBLISH_BUDGET_MS)).toBeLessThan(
        functions.publisher.timeoutSeconds * 1000,
      );
    });

    it('pass each Discord application in the environment file as DISCORD_<ID>_PUBLIC_KEY and _APPLICATION_ID', async () => {
      const { deployment } = await synth();
      const discord = { ada: { publicKey: 'ab'.repeat(32), applicationId: '123456789012345678' } };
      const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
      const stack = new CarrierStack(app, 'discord', {
        deployment: { ...deployment, config: { ...deployment.config, discord } },
      });
      expect(functionVariables(Template.fromStack(stack), 'discord-interactions')).toMatchObject({
        DISCORD_ADA_PUBLIC_KEY: discord.ada.publicKey,
        DISCORD_ADA_APPLICATION_ID: discord.ada.applicationId,
      });
    });
  });
}
