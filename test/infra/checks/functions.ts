import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { CarrierStack } from '../../../lib/stacks/carrier-stack.ts';
import { secretKeys } from '../../../lib/config/secret-keys.ts';
import type { FunctionSettings } from '../../../lib/config/environment.ts';
import {
  actionsOn,
  functionProperties,
  functionVariables,
  roleStatements,
  type Synthesized,
} from '../synth.ts';

/** Each deployed function's name suffix and its settings block in the environment file. */
const FUNCTIONS = [['discord-interactions', 'interactions']] as const;

const SEND = ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'];

function logicalId(s: Synthesized, type: string, nameProperty: string, suffix: string): string {
  const resources = s.template.findResources(type) as Record<string, { Properties: Record<string, unknown> }>;
  const found = Object.entries(resources).find(([, r]) =>
    String(r.Properties[nameProperty]).endsWith(suffix),
  );
  if (!found) throw new Error(`no ${type} named *${suffix}`);
  return found[0];
}

/** Functions: runtime, settings, variables, permissions. */
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

    it('carry no secret values in environment variables', async () => {
      const s = await synth();
      const secretNames = secretKeys(s.deployment).map((k) => k.name);
      for (const [name] of FUNCTIONS) {
        const variables = Object.keys(functionVariables(s.template, name));
        expect(
          variables.filter((v) => secretNames.includes(v)),
          name,
        ).toEqual([]);
        expect(
          variables.filter((v) => /(TOKEN|PASSWORD|SECRET|API_KEY|SERVICE_ROLE_KEY)$/.test(v)),
          name,
        ).toEqual([]);
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

    it('let the interactions function send to the turn queue and nothing else', async () => {
      const s = await synth();
      const statements = roleStatements(s.template, 'discord-interactions');
      const queue = logicalId(s, 'AWS::SQS::Queue', 'QueueName', '-turns.fifo');
      const logs = logicalId(s, 'AWS::Logs::LogGroup', 'LogGroupName', '-discord-interactions');
      expect(actionsOn(statements, queue)).toEqual(SEND);
      expect(actionsOn(statements, logs)).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents']);
      expect(statements).toHaveLength(2);
    });

    it('give the interactions function the queue URL and the served characters', async () => {
      const s = await synth();
      const variables = functionVariables(s.template, 'discord-interactions');
      const queue = logicalId(s, 'AWS::SQS::Queue', 'QueueName', '-turns.fifo');
      expect(variables).toMatchObject({
        TURN_QUEUE_URL: { Ref: queue },
        CARRIER_CHARACTERS: s.deployment.config.characters.join(','),
      });
    });
    it('pass each Discord application in the environment file as DISCORD_<ID>_PUBLIC_KEY and _APPLICATION_ID', async () => {
      const { deployment } = await synth();
      const discord = { ada: { publicKey: 'ab'.repeat(32), applicationId: '123456789012345678' } };
      const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
      const stack = new CarrierStack(app, 'discord', {
        deployment: { ...deployment, config: { ...deployment.config, discord } },
      });
      const variables = functionVariables(Template.fromStack(stack), 'discord-interactions');
      expect(variables).toMatchObject({
        DISCORD_ADA_PUBLIC_KEY: discord.ada.publicKey,
        DISCORD_ADA_APPLICATION_ID: discord.ada.applicationId,
      });
    });
  });
}
