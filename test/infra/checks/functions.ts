import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import type { FunctionSettings } from '../../../lib/config/environment.ts';
import { budgetDefaults } from '#core/usage/budget-policy.ts';
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
  ['dead-letters', 'deadLetters'],
  ['turn-sweeper', 'sweeper'],
  ['websocket', 'websocket'],
  ['job-events', 'jobEvents'],
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

    it('carry no secret values in environment variables, only their secrets’ ARNs', async () => {
      const s = await synth();
      const secretNames = secretKeys(s.deployment).map((k) => k.name);
      const secrets = Object.keys(s.template.findResources('AWS::SecretsManager::Secret'));
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
        const arns = JSON.stringify(variables.CARRIER_SECRET_ARNS ?? '');
        // Only references to the environment's secrets: no literal value.
        for (const ref of arns.match(/"Ref":"([^"]+)"/g) ?? []) {
          expect(secrets, name).toContain(ref.slice(7, -1));
        }
        expect(arns.replace(/\{"Ref":"[^"]+"\}/g, ''), name).not.toMatch(/[A-Za-z0-9]{20}/);
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

    it('give each producer its own queue’s URL and the served characters, and the API its key limits', async () => {
      const s = await synth();
      const env = s.deployment.name;
      for (const [name, queue] of [
        ['discord-interactions', 'turns'],
        ['api', 'api-turns'],
      ]) {
        const id = logicalId(s.template, 'AWS::SQS::Queue', 'QueueName', `-${env}-${queue}.fifo`);
        expect(functionVariables(s.template, name!), name).toMatchObject({
          TURN_QUEUE_URL: { Ref: id },
          CARRIER_CHARACTERS: s.deployment.config.characters.join(','),
        });
      }
      const { api } = s.deployment.config;
      expect(functionVariables(s.template, 'api')).toMatchObject({
        CARRIER_KEY_RATE_PER_MINUTE: String(api.keyRatePerMinute),
        CARRIER_KEY_BURST: String(api.keyBurst),
        CARRIER_KEY_MAX_IN_FLIGHT: String(api.keyMaxInFlight),
      });
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

    it.each(['runner', 'instagram-publisher'])(
      'give the %s the environment’s daily budgets, which it reads at cold start',
      async (name) => {
        const s = await synth();
        const variables = functionVariables(s.template, name);
        const { budgets } = s.deployment.config;
        expect(variables.CARRIER_BUDGET_TIME_ZONE).toBe(budgets.timeZone);
        expect(variables.CARRIER_BUDGET_CHARACTER_DAILY_USD).toBe(
          budgets.characterDailyUsd === undefined ? undefined : String(budgets.characterDailyUsd),
        );
        expect(variables.CARRIER_BUDGET_USER_DAILY_USD).toBe(
          budgets.userDailyUsd === undefined ? undefined : String(budgets.userDailyUsd),
        );
        // What the function makes of them: the same caps, or a cold-start error naming the variable.
        expect(budgetDefaults(variables as Record<string, string>)).toMatchObject({
          timeZone: budgets.timeZone,
          characterDailyUsd: budgets.characterDailyUsd,
          userDailyUsd: budgets.userDailyUsd,
        });
      },
    );

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
