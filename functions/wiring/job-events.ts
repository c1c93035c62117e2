import { SqlApiKeyRepository } from '../adapters/store/api-keys.ts';
import { openStore } from '../adapters/store/open.ts';
import { SqlTurnEventRepository } from '../adapters/store/turn-events.ts';
import { SqlTurnRepository } from '../adapters/store/turns.ts';
import { jobEventsApp } from '../api/job-events-app.ts';
import type { Settings } from '../config/settings.ts';
import type { Log } from '../ports/log.ts';
import type { SqlStore } from '../ports/sql.ts';

/** The stream ends this long before the function's timeout, so the client resumes cleanly. */
const STREAM_MARGIN_MS = 60_000;

/**
 * The deployed event stream's app over one store: API keys, turns and their events.
 *
 * @example
 * const app = jobEventsAppFor(store, 900_000);
 */
export function jobEventsAppFor(store: SqlStore, timeoutMs: number, log?: Log) {
  const keys = new SqlApiKeyRepository(store);
  return jobEventsApp({
    authenticate: (key) => keys.verify(key),
    turns: new SqlTurnRepository(store),
    events: new SqlTurnEventRepository(store),
    maxStreamMs: Math.max(10_000, timeoutMs - STREAM_MARGIN_MS),
    ...(log ? { log } : {}),
  });
}

/** The deployed event stream: the store the settings select; the stream's length from the function's timeout. */
export async function createJobEvents(settings: Settings, log: Log) {
  const timeoutSeconds = Number(settings.env.CARRIER_STREAM_TIMEOUT_SECONDS ?? 900);
  return jobEventsAppFor(await openStore(settings.env), timeoutSeconds * 1000, log);
}
