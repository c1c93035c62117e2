import { randomBytes } from 'node:crypto';
import { discordEnvironment } from '../../../lib/config/discord-environment.ts';
import { bundledSynth, type BundledSynth } from '../../infra/bundled-synth.ts';
import { FakeDiscordApi } from '#test/fakes/discord-api.ts';
import { testDiscordApp, type TestDiscordApp } from '#test/factories/discord.ts';
import { startOpenAIEcho, type OpenAIEchoPeer } from '../peers/openai-echo.ts';
import { startPostgres, type PostgresPeer } from '../peers/postgres.ts';
import { startSecretsManager, type SecretsManagerPeer } from '../peers/secrets-manager.ts';
import { startSqs, type SqsPeer, type SqsQueue } from '../peers/sqs.ts';
import { lambdaEnvironment } from './lambda-environment.ts';
import { LambdaFunction } from './lambda-function.ts';
import { lambdaNode } from './node24.ts';
import { SqsEventSource } from './sqs-event-source.ts';
import { taskRoots, type TaskRoots } from './task-root.ts';
import { resolveVariables, resourcesOfType, templateFunction, type ResourceValues } from './template.ts';

/** The deployed functions, by the name the harness uses → their name in the template. */
export const FUNCTIONS = {
  interactions: 'discord-interactions',
  api: 'api',
  runner: 'runner',
  publisher: 'instagram-publisher',
  tokenRefresh: 'instagram-token-refresh',
} as const;
export type FunctionKey = keyof typeof FUNCTIONS;

/**
 * Time compressed ~120 times so redelivery takes seconds: dev's visibility timeout is 720 s (6×
 * the runner's 120 s timeout) and a turn's lease 120 s; here 6 s and 1 s, in the same order.
 */
export const VISIBILITY_TIMEOUT_SECONDS = 6;
const LEASE_SECONDS = '1';

export interface DeployedEnvironment {
  synth: BundledSynth;
  /** Lambda's Node version the functions run on. */
  nodeVersion: string;
  region: string;
  sqs: SqsPeer;
  /** Discord's turn queue and its dead letters. */
  turns: SqsQueue;
  deadLetters: SqsQueue;
  /** The API's turn queue: deployed, API jobs wait in a queue of their own. */
  apiTurns: SqsQueue;
  secrets: SecretsManagerPeer;
  pg: PostgresPeer;
  discord: FakeDiscordApi;
  /** The Discord application whose public key the interactions function checks. */
  discordApp: TestDiscordApp;
  openai: OpenAIEchoPeer;
  fn: Record<FunctionKey, LambdaFunction>;
  /**
   * Lambda's SQS poller for the runner, with the template's batch size unless given, on
   * Discord's turn queue unless given another.
   */
  runnerSource(batchSize?: number, queue?: SqsQueue): SqsEventSource;
  /**
   * The function deployed from a copy of its asset that `change` altered (a broken bundle), with
   * `env` over the template's variables.
   */
  variant(key: FunctionKey, change: (assetDir: string) => void, env?: Record<string, string>): LambdaFunction;
  stop(): Promise<void>;
}

/**
 * One environment as `cdk deploy -c env=<env>` would leave it, on loopback: the bundled assets
 * (synthesised once, cached), each run on Lambda's Node 24 with the variables the template gives
 * it, against fauxqs, a Secrets Manager endpoint, Postgres over the wire migrated by the CLI,
 * and the Discord and OpenAI fakes. The secret is filled as the deploy guide says (database,
 * model key and URLs); `secrets.fill` adds more before a function's first (cold) start.
 * Returns `skip` with the reason when Lambda's Node 24 is not installed here.
 *
 * @example
 * const deployed = await startDeployedEnvironment('dev');
 * if ('skip' in deployed) throw new Error(deployed.skip);
 */
export async function startDeployedEnvironment(env: string): Promise<DeployedEnvironment | { skip: string }> {
  const node = lambdaNode();
  if ('missing' in node) return { skip: node.missing };
  const synth = await bundledSynth(env);
  const region = synth.deployment.config.region;
  const roots: TaskRoots = taskRoots();
  const [sqs, pg, discord, openai] = await Promise.all([
    startSqs(synth, node.path, region, { visibilityTimeoutSeconds: VISIBILITY_TIMEOUT_SECONDS }),
    startPostgres(),
    FakeDiscordApi.start(),
    startOpenAIEcho(),
  ]);
  const secretName = `carrier/${env}`;
  const secrets = await startSecretsManager(secretName, region, {
    CARRIER_WEBHOOK_SECRET: randomBytes(24).toString('hex'),
    DATABASE_URL: pg.url,
    OPENAI_API_KEY: 'sk-deployed-shape-test',
    OPENAI_BASE_URL: openai.baseUrl,
    DISCORD_API_URL: discord.url,
  });
  const queue = (name: string) => sqs.queues.find((q) => q.name === `carrier-${env}-${name}.fifo`)!;
  const turns = queue('turns');
  const deadLetters = queue('turns-dlq');
  const apiTurns = queue('api-turns');
  const values: ResourceValues = { ...sqs.values };
  for (const id of Object.keys(resourcesOfType(synth, 'AWS::SecretsManager::Secret')))
    values[id] = { Ref: secrets.arn };
  for (const id of Object.keys(resourcesOfType(synth, 'AWS::ApiGatewayV2::Api')))
    values[id] = { Ref: 'carrierapi' };
  // Roles are only passed on (the scheduler's, to EventBridge Scheduler): an ARN is enough.
  for (const id of Object.keys(resourcesOfType(synth, 'AWS::IAM::Role')))
    values[id] = { Ref: id, Arn: `arn:aws:iam::123456789012:role/${id}` };

  const discordApp = testDiscordApp();
  // dev.json has no `discord` section yet: the operator adds the application's public key
  // (the deploy guide's Discord step); these are the variables the stack then gives the function.
  const firstCharacter = synth.deployment.config.characters[0]!;
  const discordVariables = discordEnvironment({
    ...synth.deployment,
    config: {
      ...synth.deployment.config,
      discord: {
        [firstCharacter]: { publicKey: discordApp.publicKey, applicationId: discordApp.applicationId },
      },
    },
  });
  const fn = {} as Record<FunctionKey, LambdaFunction>;
  for (const [key, name] of Object.entries(FUNCTIONS) as Array<[FunctionKey, string]>) {
    const t = templateFunction(synth, name);
    const assetDir = roots.copy(t.assetDir, name);
    const variables = resolveVariables(t, values, region);
    fn[key] = new LambdaFunction(
      {
        functionName: t.functionName,
        assetDir,
        handler: t.handler,
        timeoutSeconds: t.timeoutSeconds,
        memoryMb: t.memoryMb,
        env: {
          ...lambdaEnvironment({
            functionName: t.functionName,
            region,
            memoryMb: t.memoryMb,
            assetDir,
            handler: t.handler,
          }),
          ...variables,
          ...(key === 'interactions' ? discordVariables : {}),
          ...(key === 'runner' ? { CARRIER_TURN_LEASE_SECONDS: LEASE_SECONDS } : {}),
          // No WebSocket client subscribes here; were one to, its pushes stay on loopback.
          ...(variables.CARRIER_WS_CALLBACK_URL
            ? { CARRIER_WS_CALLBACK_URL: 'http://127.0.0.1:9/live' }
            : {}),
          // The Graph and FTP peers listen on 127.0.0.1, which the deployed policy refuses.
          ...(key === 'publisher' || key === 'tokenRefresh' ? { CARRIER_OUTBOUND_LOOPBACK: 'allow' } : {}),
          AWS_ENDPOINT_URL_SQS: sqs.endpoint,
          AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.endpoint,
          NODE_PATH: roots.hostNatives,
        },
      },
      node.path,
    );
  }
  const mapping = Object.values(resourcesOfType(synth, 'AWS::Lambda::EventSourceMapping'))[0]!.Properties!;
  const sources: SqsEventSource[] = [];
  const variants: LambdaFunction[] = [];
  return {
    synth,
    nodeVersion: node.version,
    region,
    sqs,
    turns,
    deadLetters,
    apiTurns,
    secrets,
    pg,
    discord,
    discordApp,
    openai,
    fn,
    runnerSource(batchSize = Number(mapping.BatchSize), from = turns) {
      const source = new SqsEventSource(sqs.client, from, fn.runner, { batchSize, region });
      sources.push(source);
      return source;
    },
    variant(key, change, env = {}) {
      const { spec } = fn[key];
      const assetDir = roots.copy(spec.assetDir, `${FUNCTIONS[key]}-variant-${variants.length}`);
      change(assetDir);
      const variant = new LambdaFunction(
        { ...spec, assetDir, env: { ...spec.env, ...env, LAMBDA_TASK_ROOT: assetDir } },
        node.path,
      );
      variants.push(variant);
      return variant;
    },
    async stop() {
      await Promise.all(sources.map((s) => s.stop()));
      await Promise.all([...Object.values(fn), ...variants].map((f) => f.stop()));
      await Promise.all([sqs.stop(), pg.close(), discord.close(), openai.close(), secrets.close()]);
      roots.remove();
    },
  };
}
