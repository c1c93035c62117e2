import { SqlApiKeyRepository } from '../adapters/store/api-keys.ts';
import { openStore } from '../adapters/store/open.ts';
import { SqlTurnEventRepository } from '../adapters/store/turn-events.ts';
import { SqlTurnRepository } from '../adapters/store/turns.ts';
import type { VerifyAccessToken } from '../api/access-tokens.ts';
import { withAccessTokens } from '../api/auth.ts';
import { jobEventsApp } from '../api/job-events-app.ts';
import type { Settings } from '../config/settings.ts';
import type { Log } from '../ports/log.ts';
import type { SqlStore } from '../ports/sql.ts';
import { accessTokens } from './access-tokens.ts';

/** The stream ends this long before the function's timeout, so the client resumes cleanly. */
const STREAM_MARGIN_MS = 60_000;

/**
 * The deployed event stream's app over one store: API keys, turns and their events.
 *
 * @example
 * const app = jobEventsAppFor(store, 900_000);
 */
export function jobEventsAppFor(store: SqlStore, timeoutMs: number, log?: Log, tokens?: VerifyAccessToken) {
  const keys = new SqlApiKeyRepository(store);
  return jobEventsApp({
    // An API key or a signed-in user's access token, as the HTTP API takes.
    authenticate: withAccessTokens(tokens, (key) => keys.verify(key)),
    turns: new SqlTurnRepository(store),
    events: new SqlTurnEventRepository(store),
    maxStreamMs: Math.max(10_000, timeoutMs - STREAM_MARGIN_MS),
    ...(log ? { log } : {}),
  });
}

/** The deployed event stream: the store the settings select; the stream's length from the function's timeout. */
export async function createJobEvents(settings: Settings, log: Log) {
  const timeoutSeconds = Number(settings.env.CARRIER_STREAM_TIMEOUT_SECONDS ?? 900);
  const tokens = accessTokens(settings.env, { deployed: true });
  return jobEventsAppFor(await openStore(settings.env), timeoutSeconds * 1000, log, tokens);
}
