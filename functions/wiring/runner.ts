import { DiscordChannelDelivery } from '../adapters/discord-rest/channel-delivery.ts';
import { discordSettings } from '../discord/settings.ts';
import { followupTool } from '../schedules/followup-tool.ts';
import type { ManageDeps } from '../schedules/manage.ts';
import { DiscordLiveReplies } from '../adapters/discord-rest/live-reply.ts';
import { SqlLiveReplyRepository } from '../adapters/store/live-replies.ts';
import type { TurnRequest } from '../ports/turn-request.ts';
import { pinnedFetch, pinnedOutbound } from '../adapters/http/pinned-fetch.ts';
import { createRunnerHandler, type RunnerHandler } from '../adapters/lambda/sqs-batch.ts';
import { SqlMemoryRepository } from '../adapters/store/memories.ts';
import { openStore } from '../adapters/store/open.ts';
import { characterCache } from './characters.ts';
import { budgetGate } from './budget.ts';
import { loadMcpConfig } from '../mcp/config.ts';
import { McpPool } from '../mcp/pool.ts';
import { memoryAdmin } from '../memory/memory-admin.ts';
import { storeMemory } from './memory.ts';
import { scheduleDeps } from './schedules.ts';
import { SqlTurnRepository } from '../adapters/store/turns.ts';
import type { Character } from '../characters/schema.ts';
import type { Settings } from '../config/settings.ts';
import { selectModel } from '../adapters/models/select.ts';
import type { ResolvedModel } from '../ports/model.ts';
import type { Delivery } from '../ports/delivery.ts';
import type { Log } from '../ports/log.ts';
import type { MemoryPort } from '../ports/memory.ts';
import type { SqlStore } from '../ports/sql.ts';
import { ApiDelivery } from '../webhooks/api-delivery.ts';
import { DeliveryRouter } from '../turns/delivery-router.ts';
import type { ForgetUser, RunnerDeps } from '../turns/process-turn.ts';
import type { LiveDeps } from '../turns/live-turn.ts';
import { SqlTurnEventRepository } from '../adapters/store/turn-events.ts';
import type { MetricsSink } from '../ports/metrics.ts';
import { flushTraces } from '../agents/tracing.ts';
import { webSocketPush } from './websocket-push.ts';

export interface RunnerParts {
  settings: Settings;
  store: SqlStore;
  memory: MemoryPort;
  /** On AWS a character whose model key is missing fails; locally it falls back to the offline model. */
  deployed: boolean;
  discord?: Delivery;
  /** Scheduled turns' channel messages. Default: Discord REST with each character's bot token. */
  discordChannels?: Delivery;
  /** Where the follow-up tool keeps schedules; without it agents have no follow-up tool. */
  schedules?: ManageDeps;
  mcp?: McpPool;
  forget?: ForgetUser;
  /** Overrides the per-character model choice (tests, benchmarks). */
  model?: (character: Character) => ResolvedModel;
  /** Where characters come from (default: characters/, each read once); share it with storeMemory's. */
  character?: (id: string) => Promise<Character>;
  /** Who follows a turn live in this process (Discord edits, WebSocket pushes). */
  liveSinks?: LiveDeps['liveSinks'];
  /** Webhook retry pacing; tests shorten it. */
  webhookBaseDelayMs?: number;
  /** Where each turn's figures go: EMF on Lambda, a local file on `npm start`. */
  metrics?: MetricsSink;
  /** The budget clock (tests). */
  now?: () => Date;
  log?: Log;
}

/**
 * The runner's dependencies from settings and adapters: shared by the Lambda handler and the
 * local stack, so both answer turns the same way.
 *
 * @example
 * const handler = createRunnerHandler(runnerDeps({ settings, store, memory, deployed: true }));
 */
export function runnerDeps(parts: RunnerParts): RunnerDeps {
  const { settings } = parts;
  const character = parts.character ?? characterCache();
  return {
    turns: new SqlTurnRepository(parts.store),
    memory: parts.memory,
    delivery: turnDelivery(parts),
    character,
    model: parts.model ?? ((c) => selectModel(c, { deployed: parts.deployed, env: settings.env })),
    ...(parts.mcp ? { mcp: parts.mcp } : {}),
    ...(parts.forget ? { forget: parts.forget } : {}),
    ...(parts.schedules ? { tools: followupTools(parts.schedules) } : {}),
    leaseSeconds: settings.turnLeaseSeconds,
    maxReceiveCount: settings.maxReceiveCount,
    turnTimeoutMs: settings.turnTimeoutMs,
    live: {
      events: new SqlTurnEventRepository(parts.store),
      ...(parts.liveSinks ? { liveSinks: parts.liveSinks } : {}),
      ...(parts.log ? { log: parts.log } : {}),
    },
    // Every turn is priced and counted, capped or not: the usage ledger has them all.
    budget: budgetGate(parts.store, settings.env, parts.now),
    ...(parts.metrics ? { metrics: parts.metrics } : {}),
    ...(parts.log ? { log: parts.log } : {}),
  };
}

/** The follow-up tool for each request, on the runner's clock. */
function followupTools(schedules: ManageDeps) {
  return (request: Parameters<typeof followupTool>[0]) => [
    followupTool(request, { ...schedules, now: () => new Date() }),
  ];
}

/**
 * Where turn outcomes go: Discord (when given) and the API's signed webhooks. The runner and the
 * dead-letter consumer deliver the same way.
 */
export function turnDelivery(
  parts: Pick<RunnerParts, 'settings' | 'deployed' | 'discord' | 'discordChannels' | 'webhookBaseDelayMs'>,
): Delivery {
  return new DeliveryRouter({
    ...(parts.discord ? { discord: parts.discord } : {}),
    // Scheduled turns' channel messages, with each character's bot token.
    'discord-channel':
      parts.discordChannels ??
      new DiscordChannelDelivery({
        botToken: (c) => discordSettings(c, parts.settings.env).botToken,
        apiUrl: parts.settings.env.DISCORD_API_URL,
      }),
    api: new ApiDelivery({
      ...(parts.settings.webhookSecret ? { secret: parts.settings.webhookSecret } : {}),
      // Deployed, webhooks never reach loopback or private hosts; the local stack's may be on 127.0.0.1.
      allowLocal: !parts.deployed,
      fetch: pinnedFetch({ reach: parts.deployed ? 'public' : 'loopback' }),
      ...(parts.webhookBaseDelayMs !== undefined ? { baseDelayMs: parts.webhookBaseDelayMs } : {}),
    }),
  });
}

/**
 * Discord delivery that edits the reply as the turn is written, with its follow-up ids in the
 * store: the runner's Discord target and its live sink in one.
 *
 * @example
 * runnerDeps({ ...parts, ...liveDiscord(store, settings.env.DISCORD_API_URL) });
 */
export function liveDiscord(store: SqlStore, apiUrl: string | undefined) {
  const discord = new DiscordLiveReplies({ replies: new SqlLiveReplyRepository(store), apiUrl });
  return { discord, liveSinks: (request: TurnRequest) => discord.sinks(request) };
}

export interface Runner {
  handle: RunnerHandler;
  /** Waits for reflection started by the last batch: Lambda freezes the container once we return. */
  settle(): Promise<void>;
}

/**
 * The deployed runner: settings from the environment's secret, one store, one MCP pool (HTTP
 * servers only), one Discord REST client, memory with reflection.
 *
 * @example
 * const runner = await createRunner(await settings(), logger, new EmfMetricsSink(metrics));
 * try { return await runner.handle(event, context); } finally { await runner.settle(); }
 */
export async function createRunner(settings: Settings, log: Log, metrics?: MetricsSink): Promise<Runner> {
  const store = await openStore(settings.env);
  const character = characterCache();
  const memory = await storeMemory(store, settings, { character, log });
  const lookup = (name: string) => settings.env[name];
  const mcp = new McpPool(await loadMcpConfig(), {
    allowStdio: false,
    // Tool servers are configuration, but a name can still rebind: public addresses only.
    outbound: pinnedOutbound('public'),
    env: lookup,
    secret: lookup,
    warn: (message) => log.warn(message),
  });
  const discord = liveDiscord(store, settings.env.DISCORD_API_URL);
  // API turns are pushed to the WebSocket API's subscribers when the environment has one.
  const pushes = webSocketPush(store, settings.env, log);
  const deps = runnerDeps({
    settings,
    store,
    memory,
    character,
    deployed: true,
    discord: discord.discord,
    liveSinks: (request, attempt) => [...discord.liveSinks(request), ...(pushes?.(request, attempt) ?? [])],
    mcp,
    forget: memoryAdmin(new SqlMemoryRepository(store)).forget,
    schedules: scheduleDeps(store, settings.env),
    ...(metrics ? { metrics } : {}),
    log,
  });
  return {
    handle: createRunnerHandler(deps),
    settle: async () => {
      await memory.settle();
      await flushTraces();
    },
  };
}
