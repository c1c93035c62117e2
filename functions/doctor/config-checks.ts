import type { Settings } from '../config/settings.ts';
import { ConfigError } from '../errors.ts';
import { parseInstagramSettings, type InstagramSettings } from '../instagram/settings.ts';
import { failed, passed, problemResults, type CheckResult } from './check.ts';

/** Where a setting is fixed: `.env` locally, the environment's secret when checking a deployment. */
export function settingsHome(deployed: boolean): string {
  return deployed
    ? "the environment's secret (or .env for a check from this machine)"
    : '.env or the environment';
}

/**
 * Loads the settings as the runtime does; each invalid variable is one failed result.
 *
 * @example
 * const { results, settings } = await checkSettings(() => loadSettings(), false);
 */
export async function checkSettings(
  load: () => Promise<Settings>,
  deployed: boolean,
): Promise<{ results: CheckResult[]; settings?: Settings }> {
  try {
    const settings = await load();
    return { results: [passed('settings', `read from ${settingsSource(settings)}`)], settings };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return {
      results: problemResults(
        'settings',
        error.problems,
        `correct it in ${settingsHome(deployed)}; see README, Settings`,
      ),
    };
  }
}

function settingsSource(settings: Settings): string {
  const parts = [settings.runtime === 'lambda' ? 'the Lambda environment' : '.env and the environment'];
  if (settings.env.CARRIER_SECRET_ARN) parts.push(`secret ${settings.env.CARRIER_SECRET_ARN}`);
  return parts.join(' and ');
}

/** The Instagram and FTP variables, validated as the publisher does before its first tick. */
export function checkInstagramSettings(
  env: Record<string, string | undefined>,
  deployed: boolean,
): { results: CheckResult[]; instagram?: InstagramSettings } {
  try {
    const instagram = parseInstagramSettings(env);
    return { results: [passed('instagram settings')], instagram };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return {
      results: problemResults(
        'instagram settings',
        error.problems,
        `correct it in ${settingsHome(deployed)}; see README, Instagram publishing`,
      ),
    };
  }
}

/**
 * The keys the deployed environment needs in its secret (the stack's `SecretKeys` output), each
 * missing one a failed result naming who needs it.
 *
 * @example
 * checkSecretKeys([{ name: 'DATABASE_URL', why: 'database: postgres' }], settings.env);
 */
export function checkSecretKeys(
  required: ReadonlyArray<{ name: string; why: string }>,
  env: Record<string, string | undefined>,
): CheckResult[] {
  const missing = required.filter((k) => !env[k.name]?.trim());
  if (!missing.length)
    return [passed('secret keys', `all ${required.length} set: ${required.map((k) => k.name).join(', ')}`)];
  return missing.map((k) =>
    failed(
      `secret ${k.name}`,
      `${k.name} is not set (needed for ${k.why})`,
      `add ${k.name} to ${settingsHome(true)}; see README, Deploy, step 5`,
    ),
  );
}
