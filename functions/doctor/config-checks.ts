import { existsSync } from 'node:fs';
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

/**
 * Where the settings were read from: the env file read, or that there was none, so a user whose
 * .env sits in another folder sees it was not read.
 *
 * @example
 * settingsSource(settings); // 'the environment only (no .env here; copy .env.example to start one)'
 */
export function settingsSource(settings: Settings, exists: (file: string) => boolean = existsSync): string {
  const secrets = settings.env.CARRIER_SECRET_ARNS ?? settings.env.CARRIER_SECRET_ARN;
  const andSecret = secrets ? ` and secret ${secrets}` : '';
  const file = settings.envFile;
  if (settings.runtime === 'lambda') return `the Lambda environment${andSecret}`;
  if (!file) return `the environment${andSecret}`;
  if (file.found) return `${file.path} and the environment${andSecret}`;
  return `the environment${andSecret} only (${noEnvFile(file.path, exists)})`;
}

/** Why no env file was read, and how to start one when it is the default `.env`. */
function noEnvFile(path: string, exists: (file: string) => boolean): string {
  if (path !== '.env') return `no ${path}`;
  return exists('.env.example') ? 'no .env here; copy .env.example to start one' : 'no .env here';
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
      `add ${k.name} to ${settingsHome(true)}; see README, Deploy, step 4`,
    ),
  );
}
