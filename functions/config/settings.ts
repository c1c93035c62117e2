import { z } from 'zod';
import { ConfigError } from '../errors.ts';
import { definedOnly, envFileChoice, readEnvFile, type EnvFileSource } from './env-file.ts';
import { DEFAULT_KEY_LIMITS, type KeyLimitSettings } from '../ports/rate-limits.ts';

/**
 * The one settings object, read once at cold start (Lambda) or start-up (local). Flat on
 * purpose: every field is one variable, named in its comment. `env` is the merged record
 * (process env, `.env`, Secrets Manager) for code that looks variables up by name: per-character
 * Discord settings (`DISCORD_<ID>_PUBLIC_KEY`, …) and MCP header secrets.
 */
export interface Settings {
  /** `lambda` when AWS_LAMBDA_FUNCTION_NAME is set, else `local`. */
  runtime: 'lambda' | 'local';
  /** PORT: the local stack's port. Default 3000. */
  port: number;
  /** CARRIER_DATA_DIR: local state (PGlite). Default `.carrier`. */
  dataDir: string;
  /** DATABASE_URL: a Postgres instead of PGlite. */
  databaseUrl?: string;
  /** TURN_QUEUE_URL: the SQS FIFO queue producers send turns to (deployed). */
  turnQueueUrl?: string;
  /** CARRIER_DEV_API_KEY: the local stack's API key; one is generated and printed when unset. */
  devApiKey?: string;
  /** CARRIER_WEBHOOK_SECRET: signs job webhooks; the local stack generates one when unset. */
  webhookSecret?: string;
  /** CARRIER_MAX_RECEIVE_COUNT: the queue's maxReceiveCount; the last attempt apologises. Default 5. */
  maxReceiveCount: number;
  /** CARRIER_TURN_LEASE_SECONDS: how long a runner's claim on a turn holds. Default 180. */
  turnLeaseSeconds: number;
  /** CARRIER_TURN_TIMEOUT_MS: one turn's time budget. Default 60000. */
  turnTimeoutMs: number;
  /**
   * Every API key's limits unless the key has its own (`carrier keys limits`):
   * CARRIER_KEY_RATE_PER_MINUTE (default 120), CARRIER_KEY_BURST (60), CARRIER_KEY_MAX_IN_FLIGHT (20).
   */
  keyLimits: KeyLimitSettings;
  /** CARRIER_API_PUBLIC_URL: the API's public base URL, for links in responses. */
  publicUrl?: string;
  /** LOG_LEVEL: Powertools log level. Default INFO. */
  logLevel: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  /** CARRIER_ENV_FILE (default `.env`): the file read locally, or looked for; absent in Lambda. */
  envFile?: EnvFileSource;
  env: Readonly<Record<string, string>>;
}

const optional = z
  .string()
  .optional()
  .transform((v) => (v === '' ? undefined : v));
const int = (fallback: number, min: number, max: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

const schema = z.object({
  AWS_LAMBDA_FUNCTION_NAME: optional,
  PORT: int(3000, 1, 65535),
  CARRIER_DATA_DIR: z.string().min(1).default('.carrier'),
  DATABASE_URL: optional.pipe(z.url({ message: 'expected a postgres:// URL' }).optional()),
  TURN_QUEUE_URL: optional.pipe(z.url().optional()),
  CARRIER_DEV_API_KEY: optional.pipe(z.string().min(16, 'use at least 16 characters').optional()),
  CARRIER_WEBHOOK_SECRET: optional.pipe(z.string().min(16, 'use at least 16 characters').optional()),
  CARRIER_MAX_RECEIVE_COUNT: int(5, 1, 1000),
  CARRIER_TURN_LEASE_SECONDS: int(180, 1, 43_200),
  CARRIER_TURN_TIMEOUT_MS: int(60_000, 1000, 900_000),
  CARRIER_KEY_RATE_PER_MINUTE: int(DEFAULT_KEY_LIMITS.ratePerMinute, 1, 1_000_000),
  CARRIER_KEY_BURST: int(DEFAULT_KEY_LIMITS.burst, 1, 100_000),
  CARRIER_KEY_MAX_IN_FLIGHT: int(DEFAULT_KEY_LIMITS.maxInFlight, 1, 100_000),
  CARRIER_API_PUBLIC_URL: optional.pipe(z.url().optional()),
  LOG_LEVEL: z
    .string()
    .default('INFO')
    .transform((v) => v.toUpperCase())
    .pipe(z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR'])),
});

/** Reads one secret's JSON object (Powertools Parameters in Lambda; injectable for tests). */
export type SecretReader = (arn: string) => Promise<Record<string, unknown>>;

export interface LoadSettingsOptions {
  env?: NodeJS.ProcessEnv;
  /**
   * The local `.env`; ignored in Lambda. Default CARRIER_ENV_FILE (which must exist), else `.env`
   * in the working directory. Like `.env`, a path given here may be missing: then no file is read.
   */
  envFile?: string;
  /** Required when CARRIER_SECRET_ARNS (or CARRIER_SECRET_ARN) is set: wiring/settings.ts passes Secrets Manager. */
  readSecret?: SecretReader;
}

/**
 * Builds the settings: process env over `.env` (or CARRIER_ENV_FILE, which must exist) locally;
 * in Lambda, the JSON secrets named by CARRIER_SECRET_ARNS (comma-separated; CARRIER_SECRET_ARN
 * for one) over process env, in order (fetched once, cached by Powertools). Invalid values fail
 * fast with one line per variable.
 *
 * @example
 * const settings = await buildSettings({ readSecret: readSecretsManager });
 */
export async function buildSettings(options: LoadSettingsOptions = {}): Promise<Settings> {
  const processEnv = options.env ?? process.env;
  const inLambda = Boolean(processEnv.AWS_LAMBDA_FUNCTION_NAME);
  // CARRIER_ENV_FILE points a process (a test's CLI child, a second checkout) at another file.
  const file = inLambda ? undefined : readEnvFile(envFileChoice(options.envFile, processEnv));
  let merged: Record<string, string> = { ...file?.values, ...definedOnly(processEnv) };
  // Each function is given only the secrets it needs (one per concern), read in order.
  const arns = (merged.CARRIER_SECRET_ARNS ?? merged.CARRIER_SECRET_ARN ?? '')
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean);
  if (arns.length && !options.readSecret) {
    throw new ConfigError([
      { file: 'environment', path: 'CARRIER_SECRET_ARNS', message: 'set, but no secret reader was given' },
    ]);
  }
  const secrets = await Promise.all(arns.map((arn) => options.readSecret!(arn)));
  for (const [i, secret] of secrets.entries()) merged = { ...merged, ...stringValues(secret, arns[i]!) };
  const parsed = schema.safeParse(merged);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => ({
        file: inLambda ? 'environment' : '.env or environment',
        path: String(issue.path[0] ?? ''),
        message: issue.message,
      })),
    );
  }
  const s = parsed.data;
  return {
    runtime: s.AWS_LAMBDA_FUNCTION_NAME ? 'lambda' : 'local',
    port: s.PORT,
    dataDir: s.CARRIER_DATA_DIR,
    databaseUrl: s.DATABASE_URL,
    turnQueueUrl: s.TURN_QUEUE_URL,
    devApiKey: s.CARRIER_DEV_API_KEY,
    webhookSecret: s.CARRIER_WEBHOOK_SECRET,
    maxReceiveCount: s.CARRIER_MAX_RECEIVE_COUNT,
    turnLeaseSeconds: s.CARRIER_TURN_LEASE_SECONDS,
    turnTimeoutMs: s.CARRIER_TURN_TIMEOUT_MS,
    keyLimits: {
      ratePerMinute: s.CARRIER_KEY_RATE_PER_MINUTE,
      burst: s.CARRIER_KEY_BURST,
      maxInFlight: s.CARRIER_KEY_MAX_IN_FLIGHT,
    },
    publicUrl: s.CARRIER_API_PUBLIC_URL,
    logLevel: s.LOG_LEVEL,
    ...(file ? { envFile: file.source } : {}),
    env: Object.freeze(merged),
  };
}

function stringValues(secret: Record<string, unknown>, arn: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(secret)) {
    if (typeof value === 'string') out[key] = value;
    else if (typeof value === 'number' || typeof value === 'boolean') out[key] = String(value);
    else {
      throw new ConfigError([
        {
          file: `secret ${arn}`,
          path: key,
          message: 'expected a string; store each setting as a plain string value',
        },
      ]);
    }
  }
  return out;
}
