import { randomBytes } from 'node:crypto';
import { SqlMemoryRepository } from '../adapters/store/memories.ts';
import { SqlTurnRepository } from '../adapters/store/turns.ts';
import type { LocalQueueOptions } from '../adapters/queue/local-queue.ts';
import { LocalTurnQueues } from '../adapters/queue/local-queues.ts';
import { withAccessTokens, withDevKey } from '../api/auth.ts';
import { accessTokens } from '../wiring/access-tokens.ts';
import { createApiApp } from '../api/app.ts';
import { apiLambda } from '../adapters/lambda/api-gateway.ts';
import { memoryAdmin } from '../memory/memory-admin.ts';
import { listCharacterIds, loadCharacter } from '../characters/load.ts';
import type { Character } from '../characters/schema.ts';
import type { Settings } from '../config/settings.ts';
import { createInteractionsHandler } from '../discord/interactions.ts';
import { interactionsLambda } from '../adapters/lambda/interactions.ts';
import { apiDeps } from '../wiring/api.ts';
import { SqlApiKeyRepository } from '../adapters/store/api-keys.ts';
import { StoreMemory } from '../memory/store-memory.ts';
import { startTicker } from './ticker.ts';
import { selectEmbedder } from '../adapters/embedder/select-embedder.ts';
import { storeMemory } from '../wiring/memory.ts';
import { characterCache } from '../wiring/characters.ts';
import type { SqlStore } from '../ports/sql.ts';
import { liveDiscord, runnerDeps } from '../wiring/runner.ts';
import { localMetrics } from './metrics-file.ts';
import { createRunnerHandler } from '../adapters/lambda/sqs-batch.ts';
import { sweepTurns } from '../turns/recover.ts';
import { requeueUnfinished } from '../turns/requeue.ts';
import { createDeadLetterHandler } from '../adapters/lambda/dead-letter-batch.ts';
import { deadLetterDeps } from '../wiring/dead-letters.ts';
import { openStore } from '../adapters/store/open.ts';
import { listen } from './http-server.ts';
import { importKnowledge } from './knowledge-import.ts';
import { attachWebSocket } from './ws-server.ts';
import { SqlTurnEventRepository } from '../adapters/store/turn-events.ts';
import { serveStackChat } from './stack-chat.ts';
import { startLocalScheduler } from './schedules.ts';
import type { LocalStack, LocalStackOptions } from './stack-types.ts';

export type { LocalStack, LocalStackOptions } from './stack-types.ts';
import { instagramTick } from './instagram-tick.ts';

/**
 * `npm start`: the deployed handlers in one process. HTTP requests go to the API and
 * interactions Lambda handlers as API Gateway v2 events; turns go through an in-process queue
 * with SQS FIFO semantics to the runner's SQS handler; state lives in PGlite. Jobs that were
 * queued when the last run stopped are queued again from their rows.
 *
 * @example
 * const stack = await startLocalStack({ settings: await loadSettings() });
 * console.log(stack.url, stack.devApiKey);
 */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  // Checked before anything starts: a bad CARRIER_OIDC leaves nothing running.
  const tokens = accessTokens(options.settings.env, { deployed: false });
  // Read before the store opens, too: a broken character file costs no database start.
  const characters = await listCharacterIds();
  // Each character read once, for the scheduler, the runner, its reflection and the knowledge import.
  const load = characterCache(options.loadCharacter ?? ((id: string) => loadCharacter(id)));
  const scheduled = options.schedules === false ? [] : await Promise.all(characters.map(load));
  const store = options.store ?? (await openStore(options.settings.env, { migrate: true, thread: true }));
  // What has started, to stop again if a later step fails (a broken character file, a port in
  // use): the store's thread alone keeps the process alive, and its lock keeps other commands out.
  const started: Array<() => Promise<unknown>> = [];
  if (!options.store) started.push(() => store.close());
  if (options.mcp) started.push(() => options.mcp!.close());
  try {
    return await assembleStack(options, { store, tokens, characters, scheduled, load }, started);
  } catch (error) {
    for (const stop of started.reverse()) await stop().catch(() => undefined);
    throw error;
  }
}

/** What startLocalStack has read and opened before the rest starts. */
interface StackBase {
  store: SqlStore;
  tokens: ReturnType<typeof accessTokens>;
  characters: string[];
  /** The characters, loaded, for the scheduler (none without it). */
  scheduled: Character[];
  /** Reads a character once and keeps it (characterCache). */
  load: (id: string) => Promise<Character>;
}

async function assembleStack(
  options: LocalStackOptions,
  { store, tokens, characters, scheduled, load }: StackBase,
  started: Array<() => Promise<unknown>>,
): Promise<LocalStack> {
  const { settings } = options;
  const log = options.log;
  const devApiKey = settings.devApiKey ?? `ck_dev_${randomBytes(24).toString('base64url')}`;
  const webhookSecret = settings.webhookSecret ?? `whsec_${randomBytes(24).toString('base64url')}`;
  const invocationTimeoutMs = settings.turnTimeoutMs + 30_000;
  const effective: Settings = {
    ...settings,
    devApiKey,
    webhookSecret,
    // Locally a message stays in flight until its invocation ends or times out; a claim must not
    // outlive that, or the retries would find it busy and run out before it expires.
    turnLeaseSeconds: Math.min(settings.turnLeaseSeconds, Math.ceil(invocationTimeoutMs / 1000)),
  };
  const turns = new SqlTurnRepository(store);
  const keys = new SqlApiKeyRepository(store);
  const embedder = selectEmbedder(settings.env, store);
  const memories = options.memoryAdmin ?? memoryAdmin(new SqlMemoryRepository(store));
  const memory =
    options.memory ??
    (await storeMemory(store, settings, {
      character: load,
      ...(options.model ? { model: options.model } : {}),
      ...(log ? { log } : {}),
    }));
  if (memory instanceof StoreMemory) started.push(() => memory.settle());

  const queueOptions: LocalQueueOptions = {
    maxReceiveCount: settings.maxReceiveCount,
    visibilityTimeoutMs: 5_000,
    invocationTimeoutMs,
    onDeadLetter: (m) =>
      log?.error('message moved to dead letters', { messageId: m.messageId, receiveCount: m.receiveCount }),
    ...options.queue,
  };
  // Two lines of work, as deployed: an API flood waits in its own queue, not in Discord's.
  const queue = new LocalTurnQueues({
    discord: queueOptions,
    api: { ...queueOptions, ...options.apiQueue },
  });
  const scheduler =
    options.schedules === false
      ? undefined
      : await startLocalScheduler({
          store,
          // Scheduled turns take the API's lane, as deployed.
          queue: queue.api,
          characters: scheduled,
          ...options.schedules,
          ...(log ? { log } : {}),
        });
  if (scheduler) started.push(() => scheduler.stop());
  const live = options.discord ? undefined : liveDiscord(store, settings.env.DISCORD_API_URL);
  const runnerDiscord = options.discord ?? live!.discord;
  const metrics = localMetrics(settings.dataDir, log);
  const runner = runnerDeps({
    metrics: metrics.sink,
    settings: effective,
    store,
    memory,
    character: load,
    deployed: false,
    discord: runnerDiscord,
    ...(live ? { liveSinks: live.liveSinks } : {}),
    ...(options.mcp ? { mcp: options.mcp } : {}),
    forget: options.forget ?? ((q) => memories.forget(q)),
    ...(scheduler ? { schedules: scheduler } : {}),
    ...(options.model ? { model: options.model } : {}),
    ...(options.webhookBaseDelayMs !== undefined ? { webhookBaseDelayMs: options.webhookBaseDelayMs } : {}),
    ...(log ? { log } : {}),
  });
  const deadLetters = deadLetterDeps({
    settings: effective,
    store,
    deployed: false,
    discord: runnerDiscord,
    ...(options.webhookBaseDelayMs !== undefined ? { webhookBaseDelayMs: options.webhookBaseDelayMs } : {}),
    ...(log ? { log } : {}),
  });
  queue.start(createRunnerHandler(runner), createDeadLetterHandler(deadLetters));
  started.push(() => queue.stop());

  // The API and the WebSocket take the same credentials: keys, the dev key and access tokens.
  const authenticate = withAccessTokens(
    tokens,
    withDevKey(devApiKey, (key) => keys.verify(key)),
  );
  const app = createApiApp(
    apiDeps({
      store,
      queue: queue.api,
      characters,
      authenticate,
      limits: settings.keyLimits,
      memories,
      local: true,
      ...(scheduler ? { schedules: scheduler } : {}),
      ...(log ? { log } : {}),
    }),
  );
  const api = apiLambda(app);
  const interactions = interactionsLambda(
    createInteractionsHandler({
      queue: queue.discord,
      characters,
      env: settings.env,
      ...(log ? { log } : {}),
    }),
  );
  const server = await listen(
    { api, interactions, streaming: (request) => app.fetch(request) },
    { port: options.port ?? settings.port, hostname: options.hostname },
  );
  started.push(() => server.close());

  const ws = attachWebSocket(server.server, {
    authenticate,
    fetch: (request) => app.fetch(request),
    source: { events: new SqlTurnEventRepository(store), turns },
  });
  started.push(() => ws.close());
  const requeued = await requeueUnfinished(turns, queue);
  const knowledge = importKnowledge(characters, store, {
    load,
    ...(embedder ? { embedder } : {}),
    ...(log ? { log } : {}),
  });
  started.push(() => knowledge);
  const tick = options.tick ?? (await instagramTick(store, settings, characters, log, metrics.sink));
  const ticker = tick ? startTicker(tick, log) : undefined;
  started.push(async () => clearInterval(ticker));
  // The deployed sweeper's schedule: turns that ran out of time, jobs whose enqueue never happened.
  const sweep = (now?: Date) =>
    sweepTurns({
      turns,
      queue,
      maxReceiveCount: settings.maxReceiveCount,
      ...(now ? { now } : {}),
      ...(log ? { log } : {}),
    });
  const sweeper = startTicker({ run: () => sweep(), everyMs: 60_000 }, log);
  started.push(async () => clearInterval(sweeper));

  const url = `http://${options.hostname ?? '127.0.0.1'}:${server.port}`;
  const chat = await serveStackChat(store, {
    url,
    memory,
    env: settings.env,
    model: options.model,
    mcp: options.mcp,
  });

  return {
    url,
    port: server.port,
    devApiKey,
    webhookSecret,
    generated: { devApiKey: !settings.devApiKey, webhookSecret: !settings.webhookSecret },
    requeued,
    characters,
    knowledge,
    queue,
    scheduler,
    store,
    turns,
    metrics,
    sweep,
    async stop() {
      if (ticker) clearInterval(ticker);
      clearInterval(sweeper);
      await scheduler?.stop();
      await ws.close();
      await server.close();
      await chat?.close();
      // The import writes to the store: let it finish before the store closes.
      await knowledge;
      await queue.stop();
      await options.mcp?.close();
      if (memory instanceof StoreMemory) await memory.settle();
      if (!options.store) await store.close();
    },
  };
}
