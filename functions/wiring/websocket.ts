import { SqsTurnQueue } from '../adapters/queue/sqs-queue.ts';
import type { WebSocketLambdaEvent } from '../adapters/lambda/websocket.ts';
import { wsEvent } from '../adapters/lambda/websocket.ts';
import { SqlApiKeyRepository } from '../adapters/store/api-keys.ts';
import { SqlLiveConnections } from '../adapters/store/live-connections.ts';
import { openStore } from '../adapters/store/open.ts';
import { SqlTurnEventRepository } from '../adapters/store/turn-events.ts';
import { SqlTurnRepository } from '../adapters/store/turns.ts';
import { ManagementApiPush } from '../adapters/websocket/management-api.ts';
import { createApiApp } from '../api/app.ts';
import { withAccessTokens, type Authenticate } from '../api/auth.ts';
import { connectionTokens, handleWsEvent, type WsDeps, type WsResult } from '../api/ws-session.ts';
import type { Settings } from '../config/settings.ts';
import { servedCharacters } from '../discord/served-characters.ts';
import { ConfigError } from '../errors.ts';
import type { ConnectionPush } from '../ports/connection-push.ts';
import type { Log } from '../ports/log.ts';
import type { TurnQueue } from '../ports/queue.ts';
import type { KeyLimitSettings } from '../ports/rate-limits.ts';
import type { SqlStore } from '../ports/sql.ts';
import { accessTokens } from './access-tokens.ts';
import { apiDeps } from './api.ts';
import { WS_CALLBACK_VARIABLE } from './websocket-push.ts';

export interface WebSocketParts {
  store: SqlStore;
  queue: TurnQueue;
  characters: string[];
  push: ConnectionPush;
  /** Default: API keys in the store, as the HTTP API checks them. */
  authenticate?: Authenticate;
  limits?: KeyLimitSettings;
  env?: Record<string, string | undefined>;
  log?: Log;
}

/**
 * The WebSocket function's dependencies: the HTTP API's own app for `message` frames (so a
 * frame is checked, limited and queued exactly as POST messages is), authenticated as the key the
 * connection opened with, and the connections table.
 *
 * @example
 * const deps = webSocketDeps({ store, queue, characters: ['ada'], push });
 */
export function webSocketDeps(parts: WebSocketParts): WsDeps {
  const connections = new SqlLiveConnections(parts.store);
  const keys = new SqlApiKeyRepository(parts.store);
  const tokens = connectionTokens(connections);
  const app = createApiApp(
    apiDeps({
      store: parts.store,
      queue: parts.queue,
      characters: parts.characters,
      authenticate: tokens.authenticate,
      ...(parts.limits ? { limits: parts.limits } : {}),
      ...(parts.env ? { env: parts.env } : {}),
      ...(parts.log ? { log: parts.log } : {}),
    }),
  );
  return {
    authenticate: parts.authenticate ?? ((key) => keys.verify(key)),
    connections,
    push: parts.push,
    source: { events: new SqlTurnEventRepository(parts.store), turns: new SqlTurnRepository(parts.store) },
    fetch: (request) => app.fetch(request),
    token: tokens.token,
    ...(parts.log ? { log: parts.log } : {}),
  };
}

/** The deployed WebSocket function: the store, the API's turn queue, pushes through the callback URL. */
export async function createWebSocket(
  settings: Settings,
  log: Log,
): Promise<(event: WebSocketLambdaEvent) => Promise<WsResult>> {
  const endpoint = settings.env[WS_CALLBACK_VARIABLE];
  if (!settings.turnQueueUrl || !endpoint) {
    throw new ConfigError([
      {
        file: 'environment',
        path: settings.turnQueueUrl ? WS_CALLBACK_VARIABLE : 'TURN_QUEUE_URL',
        message: 'the WebSocket function needs the turn queue URL and the WebSocket callback URL',
      },
    ]);
  }
  // Settings first: a bad CARRIER_OIDC stops the cold start before anything is opened.
  const tokens = accessTokens(settings.env, { deployed: true });
  const store = await openStore(settings.env);
  const keys = new SqlApiKeyRepository(store);
  const deps = webSocketDeps({
    store,
    queue: new SqsTurnQueue({ queueUrl: settings.turnQueueUrl }),
    characters: servedCharacters(settings.env),
    push: new ManagementApiPush({ endpoint }),
    // $connect takes what the HTTP API takes: an API key or a signed-in user's access token.
    authenticate: withAccessTokens(tokens, (key) => keys.verify(key)),
    limits: settings.keyLimits,
    env: settings.env,
    log,
  });
  return (event) => handleWsEvent(wsEvent(event), deps);
}
