import type { Settings } from '../config/settings.ts';
import { parseInstagramSettings, type InstagramSettings } from '../instagram/settings.ts';
import { configCheck, failed, messageOf, passed, type CheckResult } from './check.ts';

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
    const { results, value } = await configCheck(
      'settings',
      load,
      `correct it in ${settingsHome(deployed)}; see README, Settings`,
      (settings) => `read from ${settingsSource(settings)}`,
    );
    return { results, ...(value ? { settings: value } : {}) };
  } catch (error) {
    // Anything but a bad value comes from reading the secret (CARRIER_SECRET_ARN / --secret).
    return {
      results: [
        failed(
          'settings',
          `cannot read the secret: ${messageOf(error)}`,
          'check the secret id and the AWS credentials and region this shell uses (AWS_PROFILE, AWS_REGION)',
        ),
      ],
    };
  }
}

function settingsSource(settings: Settings): string {
  const parts = [settings.runtime === 'lambda' ? 'the Lambda environment' : '.env and the environment'];
  if (settings.env.CARRIER_SECRET_ARN) parts.push(`secret ${settings.env.CARRIER_SECRET_ARN}`);
  return parts.join(' and ');
}

/** The Instagram and FTP variables, validated as the publisher does before its first tick. */
export async function checkInstagramSettings(
  env: Record<string, string | undefined>,
  deployed: boolean,
): Promise<{ results: CheckResult[]; instagram?: InstagramSettings }> {
  const { results, value } = await configCheck(
    'instagram settings',
    () => parseInstagramSettings(env),
    `correct it in ${settingsHome(deployed)}; see README, Instagram publishing`,
  );
  return { results, ...(value ? { instagram: value } : {}) };
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
      `${k.name} is not set (${k.why})`,
      `add ${k.name} to ${settingsHome(true)}; see README, Deploy, step 5`,
    ),
  );
}
