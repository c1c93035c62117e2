import { DiscordLiveReplies } from '../adapters/discord-rest/live-reply.ts';
import { SqlLiveReplyRepository } from '../adapters/store/live-replies.ts';
import { SqlTurnEventRepository } from '../adapters/store/turn-events.ts';
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
import { webSocketPush } from './websocket-push.ts';

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
  const pushes = webSocketPush(parts.store, parts.settings.env, parts.log);
  return {
    turns: new SqlTurnRepository(parts.store),
    delivery: turnDelivery(parts),
    live: {
      events: new SqlTurnEventRepository(parts.store),
      ...(pushes ? { liveSinks: pushes } : {}),
      ...(parts.log ? { log: parts.log } : {}),
    },
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
      // The live-reply delivery knows the follow-ups a streamed reply posted: the apology removes them.
      discord: new DiscordLiveReplies({
        replies: new SqlLiveReplyRepository(store),
        apiUrl: settings.env.DISCORD_API_URL,
      }),
      log,
    }),
  );
}
