import { Logger } from '@aws-lambda-powertools/logger';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { pinnedOutbound } from '../adapters/http/pinned-fetch.ts';
import { memoryAdmin } from '../api/memory-admin.ts';
import { settings } from '../config/settings.ts';
import { DiscordDelivery } from '../discord/delivery.ts';
import { MemoryRepository } from '../memory/memory-repository.ts';
import type { StoreMemory } from '../memory/store-memory.ts';
import { loadMcpConfig } from '../mcp/config.ts';
import { McpPool } from '../mcp/pool.ts';
import { runnerDeps } from '../runner/compose.ts';
import { createRunnerHandler, type RunnerHandler } from '../runner/sqs-batch.ts';
import { storeMemory } from '../runner/store-memory.ts';
import { openStore } from '../store/open.ts';

// Built once per container: settings (Secrets Manager), one store, one MCP pool, one Discord client.
let ready: Promise<{ handle: RunnerHandler; memory: StoreMemory }> | undefined;

async function build() {
  const s = await settings();
  const log = new Logger({ serviceName: 'agent-runner', logLevel: s.logLevel });
  const store = await openStore(s.env);
  const memory = await storeMemory(store, s, undefined, log);
  const lookup = (name: string) => s.env[name];
  const mcp = new McpPool(await loadMcpConfig(), {
    allowStdio: false,
    // Tool servers are configuration, but a name can still rebind: public addresses only.
    outbound: pinnedOutbound('public'),
    env: lookup,
    secret: lookup,
    warn: (message) => log.warn(message),
  });
  const forget = memoryAdmin(new MemoryRepository(store)).forget;
  const deps = runnerDeps({
    settings: s,
    store,
    memory,
    deployed: true,
    discord: new DiscordDelivery({ apiUrl: s.env.DISCORD_API_URL }),
    mcp,
    forget,
    log,
  });
  return { handle: createRunnerHandler(deps), memory };
}

/** SQS FIFO batch → one turn per record, partial batch failures reported per group. */
export const handler = async (event: SQSEvent, context?: Context): Promise<SQSBatchResponse> => {
  ready ??= build().catch((error: unknown) => {
    ready = undefined;
    throw error;
  });
  const { handle, memory } = await ready;
  try {
    return await handle(event, context);
  } finally {
    // Reflection runs off the reply's path; Lambda freezes the container once we return.
    await memory.settle();
  }
};
