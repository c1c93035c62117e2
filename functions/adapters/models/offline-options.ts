import { ModelError } from './model-error.ts';
import type { OfflineModelOptions } from './offline.ts';

/** The variable that slows the offline model's stream down, so streaming can be watched locally. */
export const OFFLINE_DELAY_VAR = 'CARRIER_OFFLINE_CHUNK_DELAY_MS';

/**
 * The offline model's options from the environment: `CARRIER_OFFLINE_CHUNK_DELAY_MS` (0–10000,
 * milliseconds before each word-sized chunk). A bad value is an error naming the variable.
 *
 * @example
 * offlineOptions({ CARRIER_OFFLINE_CHUNK_DELAY_MS: '20' }); // { chunkDelayMs: 20 }
 */
export function offlineOptions(env: Record<string, string | undefined>): OfflineModelOptions {
  const raw = env[OFFLINE_DELAY_VAR];
  if (raw === undefined || raw === '') return {};
  const ms = Number(raw);
  if (!Number.isInteger(ms) || ms < 0 || ms > 10_000) {
    throw new ModelError(
      `${OFFLINE_DELAY_VAR}=${raw.slice(0, 40)} is not a delay; use whole milliseconds from 0 to 10000`,
      'model_env_invalid',
    );
  }
  return ms ? { chunkDelayMs: ms } : {};
}
