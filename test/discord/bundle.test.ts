import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bundleHandler,
  INTERACTIONS_BUDGET_BYTES,
  writeBundle,
  type BundleFile,
  type HandlerBundle,
} from '../../bench/bundles.ts';
import { pingInteraction, signedInteractionEvent, testDiscordApp } from '#test/factories/discord.ts';

const HEAVY = [
  '@openai/agents',
  '@discordjs/rest',
  'discord-api-types',
  'zod',
  'postgres',
  '@electric-sql/pglite',
  '@aws-sdk/client-secrets-manager',
  'openai',
  '@anthropic-ai/sdk',
  // SqsJsonQueue sends with aws4fetch: the SDK was most of the cold import.
  '@aws-sdk/client-sqs',
];

describe('the interactions function as the CDK app bundles it', () => {
  let bundle: HandlerBundle;
  let written: BundleFile;
  beforeAll(async () => {
    bundle = await bundleHandler('interactions');
    written = writeBundle(bundle);
  });
  afterAll(() => written?.remove());

  it('stays within 400 KB minified and holds none of the heavy runtime packages', () => {
    expect(bundle.bytes).toBeGreaterThan(0);
    expect(bundle.bytes).toBeLessThanOrEqual(INTERACTIONS_BUDGET_BYTES);
    expect(bundle.packages.filter((p) => HEAVY.includes(p))).toEqual([]);
    expect(bundle.packages).toEqual(expect.arrayContaining(['discord-interactions', 'aws4fetch']));
  });

  it('loads as shipped and answers a signed PING', async () => {
    const app = testDiscordApp();
    const event = signedInteractionEvent(app, pingInteraction(), { character: 'ada' });
    const script = `const { handler } = await import(${JSON.stringify(written.file)});
      const context = { awsRequestId: 'req-1', functionName: 'interactions', functionVersion: '$LATEST',
        invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:interactions', memoryLimitInMB: '256',
        getRemainingTimeInMillis: () => 3000 };
      process.stdout.write(JSON.stringify(await handler(JSON.parse(process.env.EVENT), context)));`;
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
      env: {
        PATH: process.env.PATH,
        EVENT: JSON.stringify(event),
        TURN_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/turns.fifo',
        AWS_REGION: 'us-east-1',
        CARRIER_CHARACTERS: 'ada',
        DISCORD_ADA_PUBLIC_KEY: app.publicKey,
        POWERTOOLS_LOG_LEVEL: 'ERROR',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      },
    });
    expect(JSON.parse(stdout)).toMatchObject({ statusCode: 200, body: '{"type":1}' });
  });
});
