import { pinnedFetch } from '../adapters/http/pinned-fetch.ts';
import { loadCharacter } from '../characters/load.ts';
import type { Character } from '../characters/schema.ts';
import type { Settings } from '../config/settings.ts';
import { TurnRepository } from '../jobs/turn-repository.ts';
import type { McpPool } from '../mcp/pool.ts';
import { selectModel } from '../models/select.ts';
import type { ResolvedModel } from '../models/types.ts';
import type { Delivery } from '../ports/delivery.ts';
import type { Log } from '../ports/log.ts';
import type { MemoryPort } from '../ports/memory.ts';
import type { SqlStore } from '../ports/sql.ts';
import { ApiDelivery } from '../webhooks/api-delivery.ts';
import { DeliveryRouter } from './delivery-router.ts';
import type { ForgetUser, RunnerDeps } from './process-turn.ts';

export interface RunnerParts {
  settings: Settings;
  store: SqlStore;
  memory: MemoryPort;
  /** On AWS a character whose model key is missing fails; locally it falls back to the offline model. */
  deployed: boolean;
  discord?: Delivery;
  mcp?: McpPool;
  forget?: ForgetUser;
  /** Overrides the per-character model choice (tests, benchmarks). */
  model?: (character: Character) => ResolvedModel;
  /** Webhook retry pacing; tests shorten it. */
  webhookBaseDelayMs?: number;
  log?: Log;
}

/**
 * The runner's dependencies from settings and adapters: shared by the Lambda handler and the
 * local stack, so both answer turns the same way. Characters are read once and cached.
 *
 * @example
 * const handler = createRunnerHandler(runnerDeps({ settings, store, memory, deployed: true }));
 */
export function runnerDeps(parts: RunnerParts): RunnerDeps {
  const { settings } = parts;
  const characters = new Map<string, Promise<Character>>();
  const character = (id: string) => {
    let pending = characters.get(id);
    if (!pending) {
      pending = loadCharacter(id);
      // A failed read is not cached: the file may be fixed before the retry.
      pending.catch(() => characters.delete(id));
      characters.set(id, pending);
    }
    return pending;
  };
  return {
    turns: new TurnRepository(parts.store),
    memory: parts.memory,
    delivery: new DeliveryRouter({
      ...(parts.discord ? { discord: parts.discord } : {}),
      api: new ApiDelivery({
        ...(settings.webhookSecret ? { secret: settings.webhookSecret } : {}),
        // Deployed, webhooks never reach loopback or private hosts; the local stack's may be on 127.0.0.1.
        allowLocal: !parts.deployed,
        fetch: pinnedFetch({ reach: parts.deployed ? 'public' : 'loopback' }),
        ...(parts.webhookBaseDelayMs !== undefined ? { baseDelayMs: parts.webhookBaseDelayMs } : {}),
      }),
    }),
    character,
    model: parts.model ?? ((c) => selectModel(c, { deployed: parts.deployed, env: settings.env })),
    ...(parts.mcp ? { mcp: parts.mcp } : {}),
    ...(parts.forget ? { forget: parts.forget } : {}),
    leaseSeconds: settings.turnLeaseSeconds,
    maxReceiveCount: settings.maxReceiveCount,
    turnTimeoutMs: settings.turnTimeoutMs,
    ...(parts.log ? { log: parts.log } : {}),
  };
}
