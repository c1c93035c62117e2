import { SqsTurnQueue } from '../adapters/queue/sqs-queue.ts';
import { apiLambda, type ApiLambdaHandler } from '../adapters/lambda/api-gateway.ts';
import { SqlApiKeyRepository } from '../adapters/store/api-keys.ts';
import { SqlMemoryRepository } from '../adapters/store/memories.ts';
import { openStore } from '../adapters/store/open.ts';
import { SqlPostRepository } from '../adapters/store/posts.ts';
import { SqlPostTenants } from '../adapters/store/post-tenants.ts';
import { SqlTurnRepository } from '../adapters/store/turns.ts';
import { SqlRateLimiter } from '../adapters/store/rate-limits.ts';
import { agentsDirectory } from '../api/agents-directory.ts';
import { createApiApp } from '../api/app.ts';
import { pinnedFetch } from '../adapters/http/pinned-fetch.ts';
import { outboundReach } from './outbound-reach.ts';
import { withAccessTokens, type Authenticate } from '../api/auth.ts';
import type { VerifyAccessToken } from '../api/access-tokens.ts';
import { accessTokens } from './access-tokens.ts';
import type { ApiDeps, MemoryAdmin } from '../api/deps.ts';
import { postsApi } from '../api/routes/posts.ts';
import { schedulesApi } from '../api/routes/schedules.ts';
import { scheduleDeps } from './schedules.ts';
import { jobEventsApi } from '../api/routes/job-events.ts';
import { SqlTurnEventRepository } from '../adapters/store/turn-events.ts';
import { usageApi } from '../api/routes/usage.ts';
import { charactersApi } from '../api/routes/characters.ts';
import { jobHistoryApi } from '../api/routes/job-history.ts';
import { SqlJobHistory } from '../adapters/store/job-history.ts';
import { characterReport } from '../characters/report.ts';
import { SqlUsageRepository } from '../adapters/store/usage.ts';
import type { Settings } from '../config/settings.ts';
import { servedCharacters } from '../discord/served-characters.ts';
import { ConfigError } from '../errors.ts';
import { memoryAdmin } from '../memory/memory-admin.ts';
import type { Log } from '../ports/log.ts';
import type { TurnQueue } from '../ports/queue.ts';
import type { KeyLimitSettings } from '../ports/rate-limits.ts';
import type { SqlStore } from '../ports/sql.ts';
import type { ManageDeps } from '../schedules/manage.ts';

export interface ApiParts {
  store: SqlStore;
  queue: TurnQueue;
  /** The characters this deployment serves. */
  characters: string[];
  /** Default: API keys in the store. */
  authenticate?: Authenticate;
  /** OIDC access tokens accepted beside the keys (wiring/access-tokens.ts); absent, keys only. */
  accessTokens?: VerifyAccessToken;
  memories?: MemoryAdmin;
  /** The environment's key limits (settings.keyLimits). */
  limits?: KeyLimitSettings;
  /** The local stack: http and loopback webhooks are allowed. */
  local?: boolean;
  /** Where schedules are kept and armed. Default: the store, and EventBridge when the env names a group. */
  schedules?: ManageDeps;
  env?: Record<string, string | undefined>;
  log?: Log;
}

/**
 * The API's dependencies over one store and one queue: shared by the Lambda and the local stack.
 *
 * @example
 * const app = createApiApp(apiDeps({ store, queue, characters: ['ada'] }));
 */
export function apiDeps(parts: ApiParts): ApiDeps {
  const keys = new SqlApiKeyRepository(parts.store);
  const turns = new SqlTurnRepository(parts.store);
  const agents = agentsDirectory(parts.characters);
  return {
    turns,
    queue: parts.queue,
    authenticate: withAccessTokens(parts.accessTokens, parts.authenticate ?? ((key) => keys.verify(key))),
    rateLimiter: new SqlRateLimiter(parts.store),
    ...(parts.limits ? { limits: parts.limits } : {}),
    agents,
    ...(parts.local
      ? { unknownAgentHint: 'a file added to characters/ since npm start began is served after a restart' }
      : {}),
    memories: parts.memories ?? memoryAdmin(new SqlMemoryRepository(parts.store)),
    extraRoutes: [
      postsApi(
        new SqlPostRepository(parts.store),
        new SqlPostTenants(parts.store),
        parts.characters,
        // Media previews: deployed, public hosts only, as the publisher downloads them.
        pinnedFetch({ reach: outboundReach(!parts.local, parts.env ?? {}) }),
      ),
      schedulesApi({
        ...(parts.schedules ?? scheduleDeps(parts.store, parts.env ?? {})),
        characterIds: async () => parts.characters,
        ...(parts.local ? { allowHttpWebhooks: true } : {}),
      }),
      jobEventsApi({ turns, events: new SqlTurnEventRepository(parts.store) }),
      usageApi(new SqlUsageRepository(parts.store)),
      jobHistoryApi({ history: new SqlJobHistory(parts.store), turns, agents }),
      charactersApi(() => characterReport()),
    ],
    ...(parts.local ? { allowHttpWebhooks: true } : {}),
    // Behind API Gateway a stream arrives whole, so the deployed page long-polls a reply's events.
    console: { live: parts.local ? 'stream' : 'poll' },
    ...(parts.log ? { log: parts.log } : {}),
  };
}

/** The deployed API: the store the settings select, the SQS turn queue, the served characters. */
export async function createApi(settings: Settings, log: Log): Promise<ApiLambdaHandler> {
  const queueUrl = settings.turnQueueUrl;
  if (!queueUrl) {
    throw new ConfigError([
      { file: 'environment', path: 'TURN_QUEUE_URL', message: 'the API needs the turn queue URL' },
    ]);
  }
  // Settings first: a bad CARRIER_OIDC stops the cold start before anything is opened.
  const tokens = accessTokens(settings.env, { deployed: true });
  const store = await openStore(settings.env);
  const characters = servedCharacters(settings.env);
  return apiLambda(
    createApiApp(
      apiDeps({
        store,
        queue: new SqsTurnQueue({ queueUrl }),
        characters,
        limits: settings.keyLimits,
        ...(tokens ? { accessTokens: tokens } : {}),
        env: settings.env,
        log,
      }),
    ),
  );
}
