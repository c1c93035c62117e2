import { SqlLiveConnections } from '../adapters/store/live-connections.ts';
import { ManagementApiPush } from '../adapters/websocket/management-api.ts';
import { webSocketSinks } from '../api/live-push.ts';
import type { Log } from '../ports/log.ts';
import type { SqlStore } from '../ports/sql.ts';

/** The WebSocket stage's callback URL (`https://<api>.execute-api.<region>.amazonaws.com/<stage>`). */
export const WS_CALLBACK_VARIABLE = 'CARRIER_WS_CALLBACK_URL';

/**
 * The runner's pushes to WebSocket clients, when the environment has a WebSocket API (kept apart
 * from the WebSocket function's wiring so the runner's bundle carries no API app).
 *
 * @example
 * const pushes = webSocketPush(store, settings.env, log); // undefined without CARRIER_WS_CALLBACK_URL
 */
export function webSocketPush(store: SqlStore, env: Readonly<Record<string, string>>, log?: Log) {
  const endpoint = env[WS_CALLBACK_VARIABLE];
  if (!endpoint) return undefined;
  return webSocketSinks({
    connections: new SqlLiveConnections(store),
    push: new ManagementApiPush({ endpoint }),
    ...(log ? { log } : {}),
  });
}
