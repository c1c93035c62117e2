import { DiscordDelivery } from '../adapters/discord-rest/delivery.ts';
import { createDeadLetterHandler } from '../adapters/lambda/dead-letter-batch.ts';
import type { RunnerHandler } from '../adapters/lambda/sqs-batch.ts';
import { openStore } from '../adapters/store/open.ts';
import { SqlTurnRepository } from '../adapters/store/turns.ts';
import type { Settings } from '../config/settings.ts';
import type { Delivery } from '../ports/delivery.ts';
import type { Log } from '../ports/log.ts';
import type { SqlStore } from '../ports/sql.ts';
import type { DeadLetterDeps } from '../turns/dead-letter.ts';
import { turnDelivery } from './runner.ts';

export interface DeadLetterParts {
  settings: Settings;
  store: SqlStore;
  deployed: boolean;
  discord?: Delivery;
  webhookBaseDelayMs?: number;
  log?: Log;
}

/**
 * The dead-letter consumer's dependencies: the turns and the runner's own delivery (Discord
 * apologies, API webhooks). Shared by its Lambda and the local stack.
 *
 * @example
 * const handler = createDeadLetterHandler(deadLetterDeps({ settings, store, deployed: true }));
 */
export function deadLetterDeps(parts: DeadLetterParts): DeadLetterDeps {
  return {
    turns: new SqlTurnRepository(parts.store),
    delivery: turnDelivery(parts),
    ...(parts.log ? { log: parts.log } : {}),
  };
}

/** The deployed consumer of both dead-letter queues. */
export async function createDeadLetters(settings: Settings, log: Log): Promise<RunnerHandler> {
  const store = await openStore(settings.env);
  return createDeadLetterHandler(
    deadLetterDeps({
      settings,
      store,
      deployed: true,
      discord: new DiscordDelivery({ apiUrl: settings.env.DISCORD_API_URL }),
      log,
    }),
  );
}
