import { readSecretsManager } from '../adapters/secrets/secrets-manager.ts';
import { buildSettings, type LoadSettingsOptions, type Settings } from '../config/settings.ts';
import { once } from './once.ts';

/**
 * The settings of a process: process env over `.env` locally; in Lambda, the environment's
 * secrets (CARRIER_SECRET_ARNS, read from Secrets Manager) over process env.
 *
 * @example
 * const s = await loadSettings();
 */
export function loadSettings(options: LoadSettingsOptions = {}): Promise<Settings> {
  return buildSettings({ readSecret: readSecretsManager, ...options });
}

/** The settings of this container, loaded on first use and then reused (one load per cold start). */
export const settings = once(() => loadSettings());

/** This container's settings, with the logger set to their LOG_LEVEL. */
export async function loadedSettings(logger: {
  setLogLevel(level: Settings['logLevel']): void;
}): Promise<Settings> {
  const s = await settings();
  logger.setLogLevel(s.logLevel);
  return s;
}
