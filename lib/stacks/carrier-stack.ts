import { CfnOutput, Duration, RemovalPolicy, Stack, Tags, type StackProps } from 'aws-cdk-lib';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { HANDLER_ENTRIES } from '../config/bundle-options.ts';
import type { Deployment } from '../config/deployment.ts';
import { budgetEnvironment } from '../config/budget-environment.ts';
import { discordEnvironment } from '../config/discord-environment.ts';
import { stageRuntimeFiles } from '../config/runtime-files.ts';
import { secretKeys, type SecretConcern } from '../config/secret-keys.ts';
import { AgentRunner } from '../constructs/agent-runner.ts';
import { Alarms } from '../constructs/alarms.ts';
import { CarrierFunction } from '../constructs/carrier-function.ts';
import { CarrierDashboard } from '../constructs/dashboard.ts';
import { EnvironmentSecrets, secretName } from '../constructs/environment-secrets.ts';
import { Ingress } from '../constructs/ingress.ts';
import { JobEventsStream } from '../constructs/job-events-stream.ts';
import { LiveApi } from '../constructs/live-api.ts';
import { Publisher } from '../constructs/publisher.ts';
import { Schedules } from '../constructs/schedules.ts';
import { TurnQueue } from '../constructs/turn-queue.ts';
import { TurnRecovery } from '../constructs/turn-recovery.ts';
import { pascalId } from '#core/characters/character-id.ts';

export interface CarrierStackProps extends StackProps {
  deployment: Deployment;
}

/**
 * One environment: ingress, the turn queue and runner, the Instagram publisher, the secret and
 * the alarms. It only wires constructs together and passes them the environment's settings.
 * One stack per environment, so `cdk deploy -c env=<name>` needs no stack name.
 */
export class CarrierStack extends Stack {
  constructor(scope: Construct, id: string, props: CarrierStackProps) {
    super(scope, id, props);
    const { deployment } = props;
    const { config, name } = deployment;
    Tags.of(this).add('carrier:environment', name);

    const removalPolicy = config.removalPolicy === 'retain' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    const characters = deployment.characters.map((c) => c.id).join(',');
    const runtimeFiles = stageRuntimeFiles(deployment);
    const common = {
      environmentName: name,
      logRetention: config.logRetentionDays as RetentionDays,
      removalPolicy,
      logLevel: config.logLevel,
      projectRoot: deployment.root,
    };
    const fn = config.functions;

    const concerns: SecretConcern[] = ['database', 'models', 'webhooks'];
    if (config.instagram.enabled) concerns.push('instagram');
    // One secret per concern, each read only by the functions that need it.
    const secrets = new EnvironmentSecrets(this, 'Secrets', {
      environmentName: name,
      removalPolicy,
      concerns,
    });
    const queueProps = {
      environmentName: name,
      runnerTimeoutSeconds: fn.runner.timeoutSeconds,
      maxReceiveCount: config.queue.maxReceiveCount,
      deadLetterTimeoutSeconds: fn.deadLetters.timeoutSeconds,
    };
    // Discord's turns and the API's wait in queues of their own: an API flood cannot hold a
    // Discord reply past its 15-minute token.
    const turns = new TurnQueue(this, 'Turns', { ...queueProps, name: 'turns' });
    const apiTurns = new TurnQueue(this, 'ApiTurns', { ...queueProps, name: 'api-turns' });
    const ingress = new Ingress(this, 'Ingress', {
      ...common,
      throttleRate: config.api.throttleRate,
      throttleBurst: config.api.throttleBurst,
    });
    const alarms = new Alarms(this, 'Alarms', { environmentName: name, email: config.alarms.email });
    alarms.watchDeadLetters('DeadLetters', turns.deadLetterQueue);
    alarms.watchDeadLetters('ApiDeadLetters', apiTurns.deadLetterQueue);

    const interactions = new CarrierFunction(this, 'Interactions', {
      ...common,
      ...fn.interactions,
      name: 'discord-interactions',
      entry: HANDLER_ENTRIES.interactions,
      description: 'Discord interactions: verifies signatures, answers PING, queues /ask and /forget',
      environment: {
        TURN_QUEUE_URL: turns.queue.queueUrl,
        CARRIER_CHARACTERS: characters,
        ...discordEnvironment(deployment),
      },
    });
    turns.queue.grantSendMessages(interactions.fn);
    ingress.addDiscordInteractions(interactions.fn);
    alarms.watchFunction('Interactions', interactions.fn);

    // The functions that authenticate callers take access tokens too: the API, the WebSocket
    // API's and the event stream's.
    const issuers: Record<string, string> = Object.keys(config.oidc).length
      ? { CARRIER_OIDC: JSON.stringify(config.oidc) }
      : {};
    const api = new CarrierFunction(this, 'Api', {
      ...common,
      ...fn.api,
      name: 'api',
      entry: HANDLER_ENTRIES.api,
      description: 'HTTPS API /v1: authenticates keys, queues turns, reads jobs and memories; the console',
      runtimeFiles,
      // The console's page, served at /console beside index.mjs (functions/api/console-page.ts).
      projectFiles: { console: 'functions/api/console' },
      environment: {
        TURN_QUEUE_URL: apiTurns.queue.queueUrl,
        CARRIER_CHARACTERS: characters,
        CARRIER_API_PUBLIC_URL: ingress.url,
        CARRIER_KEY_RATE_PER_MINUTE: String(config.api.keyRatePerMinute),
        CARRIER_KEY_BURST: String(config.api.keyBurst),
        CARRIER_KEY_MAX_IN_FLIGHT: String(config.api.keyMaxInFlight),
        // Access tokens are verified in the function (one path with the local stack); it fetches
        // the issuers' JWKS over the internet, which a function outside a VPC reaches.
        ...issuers,
      },
    });
    apiTurns.queue.grantSendMessages(api.fn);
    secrets.grantRead(api.fn, ['database']);
    ingress.addApi(api.fn);
    alarms.watchFunction('Api', api.fn);

    // Live replies: the WebSocket API (its function queues like the API) and the SSE stream.
    const live = new LiveApi(this, 'Live', {
      function: {
        ...common,
        ...fn.websocket,
        entry: HANDLER_ENTRIES.websocket,
        runtimeFiles,
        environment: {
          TURN_QUEUE_URL: apiTurns.queue.queueUrl,
          CARRIER_CHARACTERS: characters,
          CARRIER_KEY_RATE_PER_MINUTE: String(config.api.keyRatePerMinute),
          CARRIER_KEY_BURST: String(config.api.keyBurst),
          CARRIER_KEY_MAX_IN_FLIGHT: String(config.api.keyMaxInFlight),
          ...issuers,
        },
      },
      throttleRate: config.api.throttleRate,
      throttleBurst: config.api.throttleBurst,
    });
    apiTurns.queue.grantSendMessages(live.fn);
    secrets.grantRead(live.fn, ['database']);
    alarms.watchFunction('WebSocket', live.fn);
    const jobEvents = new JobEventsStream(this, 'JobEvents', {
      ...common,
      ...fn.jobEvents,
      entry: HANDLER_ENTRIES.jobEvents,
      environment: issuers,
    });
    secrets.grantRead(jobEvents.fn, ['database']);
    alarms.watchFunction('JobEvents', jobEvents.fn);

    const runner = new AgentRunner(this, 'Runner', {
      ...common,
      ...fn.runner,
      entry: HANDLER_ENTRIES.runner,
      runtimeFiles,
      queues: [
        { turns, maxConcurrency: config.queue.maxConcurrency },
        { turns: apiTurns, maxConcurrency: config.queue.apiMaxConcurrency },
      ],
      batchSize: config.queue.batchSize,
      environment: {
        CARRIER_CHARACTERS: characters,
        CARRIER_WS_CALLBACK_URL: live.stage.callbackUrl,
        ...budgetEnvironment(config.budgets),
      },
    });
    live.grantPush(runner.fn);
    secrets.grantRead(runner.fn, ['database', 'models', 'webhooks']);
    alarms.watchFunction('Runner', runner.fn);
    alarms.watchErrorRate('Runner', runner.fn, config.alarms.errorRatePercent);
    alarms.watchErrorRate('Api', api.fn, config.alarms.errorRatePercent);
    const characterIds = deployment.characters.map((c) => c.id);
    alarms.watchDailyCost(characterIds, config.alarms.dailyCostUsd);
    new CarrierDashboard(this, 'Dashboard', {
      environmentName: name,
      characters: characterIds,
      functions: { Interactions: interactions.fn, Api: api.fn, Runner: runner.fn },
      deadLetterQueue: turns.deadLetterQueue,
      instagram: config.instagram.enabled,
    });

    const recovery = new TurnRecovery(this, 'Recovery', {
      environmentName: name,
      queues: [turns, apiTurns],
      apiQueue: apiTurns,
      deadLetters: {
        ...common,
        ...fn.deadLetters,
        entry: HANDLER_ENTRIES.deadLetters,
        // A failed API job's stream is ended for its WebSocket subscribers too.
        environment: { CARRIER_WS_CALLBACK_URL: live.stage.callbackUrl },
      },
      sweeper: {
        ...common,
        ...fn.sweeper,
        entry: HANDLER_ENTRIES.sweeper,
        environment: { CARRIER_MAX_RECEIVE_COUNT: String(config.queue.maxReceiveCount) },
      },
    });
    secrets.grantRead(recovery.deadLetters.fn, ['database', 'webhooks']);
    live.grantPush(recovery.deadLetters.fn);
    secrets.grantRead(recovery.sweeper.fn, ['database']);
    alarms.watchFunction('DeadLetterConsumer', recovery.deadLetters.fn);
    alarms.watchFunction('Sweeper', recovery.sweeper.fn);

    const schedules = new Schedules(this, 'Schedules', {
      environmentName: name,
      // Scheduled turns take the API's lane: they never wait behind a Discord command, nor it behind them.
      turns: apiTurns,
      characters: deployment.characters,
    });
    schedules.grantManage(api.fn);
    schedules.grantManage(runner.fn);

    if (config.instagram.enabled) {
      const instagram = {
        CARRIER_CHARACTERS: characters,
        INSTAGRAM_API: config.instagram.api,
        INSTAGRAM_GRAPH_VERSION: config.instagram.graphVersion,
      };
      const publisher = new Publisher(this, 'Instagram', {
        environmentName: name,
        instagramSecret: secrets.secret('instagram'),
        publishEveryMinutes: config.instagram.publishEveryMinutes,
        tokenRefreshHourUtc: config.instagram.tokenRefreshHourUtc,
        publisher: {
          ...common,
          ...fn.publisher,
          entry: HANDLER_ENTRIES.publisher,
          runtimeFiles,
          // Captions spend from the runner's daily budgets.
          environment: { ...instagram, ...budgetEnvironment(config.budgets) },
        },
        tokenRefresh: {
          ...common,
          ...fn.tokenRefresh,
          entry: HANDLER_ENTRIES.tokenRefresh,
          environment: instagram,
        },
      });
      // Captions are written by the character's model; the token refresh never calls one.
      secrets.grantRead(publisher.publisher.fn, ['database', 'models', 'instagram']);
      secrets.grantRead(publisher.tokenRefresh.fn, ['database', 'instagram']);
      alarms.watchSchedule('Publisher', publisher.publisher.fn, publisher.publishPeriod, {
        failing: 2,
        of: 3,
      });
      alarms.watchSchedule('TokenRefresh', publisher.tokenRefresh.fn, Duration.hours(1), {
        failing: 1,
        of: 1,
      });
    }

    for (const character of deployment.characters) {
      new CfnOutput(this, `DiscordInteractionsUrl${pascalId(character.id)}`, {
        description: `Interactions Endpoint URL for ${character.id}'s Discord application`,
        value: `${ingress.url}discord/${character.id}/interactions`,
      });
    }
    new CfnOutput(this, 'ApiUrl', { description: 'HTTPS API base URL', value: `${ingress.url}v1` });
    new CfnOutput(this, 'WebSocketUrl', { description: 'WebSocket API (live replies)', value: live.url });
    new CfnOutput(this, 'JobEventsUrl', {
      description: 'GET v1/jobs/{id}/events as SSE (SigV4-signed, API key in x-api-key)',
      value: jobEvents.url.url,
    });
    const keys = secretKeys(deployment);
    for (const concern of concerns) {
      const id = pascalId(concern);
      new CfnOutput(this, `SecretName${id}`, {
        description: `The ${concern} secret`,
        value: secretName(name, concern),
      });
      new CfnOutput(this, `SecretKeys${id}`, {
        description: `Keys the ${concern} secret must hold (JSON object of NAME: value)`,
        value:
          keys
            .filter((k) => k.concern === concern)
            .map((k) => k.name)
            .join(',') || 'none',
      });
    }
    new CfnOutput(this, 'TurnQueueUrl', { value: turns.queue.queueUrl });
    new CfnOutput(this, 'DeadLetterQueueUrl', { value: turns.deadLetterQueue.queueUrl });
    new CfnOutput(this, 'ApiTurnQueueUrl', { value: apiTurns.queue.queueUrl });
    new CfnOutput(this, 'ApiDeadLetterQueueUrl', { value: apiTurns.deadLetterQueue.queueUrl });
    new CfnOutput(this, 'AlarmTopicArn', { value: alarms.topic.topicArn });
  }
}
