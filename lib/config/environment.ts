import { z } from 'zod';
import { oidcSchema } from '#core/api/oidc-config.ts';
import { validTimeZone } from '#core/usage/budget-policy.ts';
import { CHARACTER_ID } from '#core/characters/character-id.ts';
import { SNOWFLAKE } from '#core/discord/settings.ts';
import { DISCORD_PUBLIC_KEY } from '#core/discord/verify.ts';
import { GRAPH_VERSION } from '#core/instagram/settings.ts';
import { DEFAULT_KEY_LIMITS } from '#core/ports/rate-limits.ts';

/**
 * `config/environments/<name>.json`: everything about one deployed environment that is not a
 * secret. Strict objects: a typo is an error naming the field, never a silently ignored key.
 */

const functionSchema = (
  defaults: { memoryMb: number; timeoutSeconds: number },
  max: { seconds: number; why: string } = { seconds: 900, why: 'the Lambda limit' },
) =>
  z
    .strictObject({
      memoryMb: z.number().int().min(128).max(10_240).default(defaults.memoryMb),
      timeoutSeconds: z
        .number()
        .int()
        .min(1)
        .max(max.seconds, `at most ${max.seconds}: ${max.why}`)
        .default(defaults.timeoutSeconds),
    })
    .prefault({});

/**
 * The queue's visibility timeout is 6× the runner's timeout (AWS guidance for SQS event sources),
 * and a retried turn must still land inside Discord's 15-minute interaction-token window.
 */
export const VISIBILITY_TIMEOUT_FACTOR = 6;
export const DISCORD_TOKEN_WINDOW_SECONDS = 15 * 60;
const RUNNER_MAX_TIMEOUT = {
  seconds: Math.floor(DISCORD_TOKEN_WINDOW_SECONDS / VISIBILITY_TIMEOUT_FACTOR),
  why: `the queue's visibility timeout is ${VISIBILITY_TIMEOUT_FACTOR}x this, and a retried turn must arrive within Discord's 15-minute reply window`,
};

/** The retention periods CloudWatch Logs accepts, in days. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

const characterId = z
  .string()
  .regex(
    CHARACTER_ID,
    'expected a character id: its file name in characters/, lower-cased and without .json (cosmosHelper.character.json is cosmoshelper)',
  );

export const environmentSchema = z.strictObject({
  /** The AWS region to deploy to, e.g. `eu-west-1`. */
  region: z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, 'expected an AWS region like eu-west-1'),
  /** Optional: pins the stack to one account, so a deploy with the wrong credentials fails early. */
  account: z
    .string()
    .regex(/^\d{12}$/, 'expected a 12-digit AWS account id')
    .optional(),
  /** The characters this environment serves, by id: the file name in characters/ (see characterIdFromFileName). */
  characters: z
    .array(characterId)
    .min(1, 'list at least one character')
    .refine(unique, 'lists a character twice'),
  /**
   * Where memory, turns and posts live: `supabase` (SUPABASE_URL + SUPABASE_SERVICE_ROLE_KEY in the
   * secret) or `postgres` (DATABASE_URL in the secret). Lambda never uses the embedded PGlite.
   */
  database: z.enum(['supabase', 'postgres'], {
    error: 'expected supabase (SUPABASE_URL and SUPABASE_SERVICE_ROLE_KEY) or postgres (DATABASE_URL)',
  }),
  /** `retain` keeps the secret and log groups when the stack is deleted. */
  removalPolicy: z.enum(['destroy', 'retain']).default('destroy'),
  logRetentionDays: z
    .number()
    .refine((d) => (LOG_RETENTION_DAYS as readonly number[]).includes(d), {
      message: `expected one of ${LOG_RETENTION_DAYS.join(', ')}`,
    })
    .default(30),
  logLevel: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR']).default('INFO'),
  alarms: z
    .strictObject({
      /** Subscribed to the alarm topic; confirm the e-mail AWS sends after the first deploy. */
      email: z.email().optional(),
      /** A character spending more than this many dollars in a day raises the cost alarm. */
      dailyCostUsd: z.number().positive().default(20),
      /** A function with more than this share of failed invocations (percent) raises its error-rate alarm. */
      errorRatePercent: z.number().positive().max(100).default(5),
    })
    .prefault({}),
  /**
   * Daily spending caps for the runner, where a character file sets none (its `budget` wins);
   * they reset at midnight in `timeZone`. Absent: no cap.
   */
  budgets: z
    .strictObject({
      timeZone: z
        .string()
        .refine(validTimeZone, { message: 'unknown time zone; use an IANA name like Europe/Paris or UTC' })
        .default('UTC'),
      characterDailyUsd: z.number().min(0, 'expected dollars, 0 or more').optional(),
      userDailyUsd: z.number().min(0, 'expected dollars, 0 or more').optional(),
    })
    .prefault({}),
  api: z
    .strictObject({
      /** Requests per second across the HTTP API (steady state and burst). */
      throttleRate: z.number().positive().default(20),
      throttleBurst: z.number().int().positive().default(40),
      /** Each API key's default limits (a key's own, set with `carrier keys limits`, win). */
      keyRatePerMinute: z.number().int().min(1).max(1_000_000).default(DEFAULT_KEY_LIMITS.ratePerMinute),
      keyBurst: z.number().int().min(1).max(100_000).default(DEFAULT_KEY_LIMITS.burst),
      keyMaxInFlight: z.number().int().min(1).max(100_000).default(DEFAULT_KEY_LIMITS.maxInFlight),
    })
    .prefault({}),
  /**
   * Identity providers whose OIDC access tokens the API accepts beside API keys, by name (see
   * functions/api/oidc-config.ts); verified in the API function, handed to it as CARRIER_OIDC.
   */
  oidc: oidcSchema,
  queue: z
    .strictObject({
      /** Deliveries of one TurnRequest before it goes to the dead-letter queue. */
      maxReceiveCount: z.number().int().min(1).max(1000).default(3),
      /** FIFO event sources take at most 10 messages per batch. */
      batchSize: z.number().int().min(1).max(10).default(1),
      /** Concurrent runner invocations for Discord turns (SQS event sources accept 2 to 1000). */
      maxConcurrency: z.number().int().min(2).max(1000).default(5),
      /** Concurrent runner invocations for API turns, capped apart from Discord's. */
      apiMaxConcurrency: z.number().int().min(2).max(1000).default(2),
    })
    .prefault({}),
  functions: z
    .strictObject({
      interactions: functionSchema(
        { memoryMb: 256, timeoutSeconds: 3 },
        { seconds: 10, why: 'Discord drops an interaction that is not answered within 3 s anyway' },
      ),
      api: functionSchema(
        { memoryMb: 512, timeoutSeconds: 10 },
        { seconds: 29, why: 'API Gateway ends every request at 30 s' },
      ),
      runner: functionSchema({ memoryMb: 1024, timeoutSeconds: 120 }, RUNNER_MAX_TIMEOUT),
      publisher: functionSchema({ memoryMb: 1024, timeoutSeconds: 120 }),
      tokenRefresh: functionSchema({ memoryMb: 256, timeoutSeconds: 30 }),
      deadLetters: functionSchema({ memoryMb: 256, timeoutSeconds: 60 }),
      sweeper: functionSchema({ memoryMb: 256, timeoutSeconds: 60 }),
      websocket: functionSchema(
        { memoryMb: 512, timeoutSeconds: 10 },
        { seconds: 29, why: 'API Gateway ends every WebSocket integration call at 29 s' },
      ),
      /** The SSE stream closes itself a minute before this; the client resumes with Last-Event-ID. */
      jobEvents: functionSchema(
        { memoryMb: 256, timeoutSeconds: 900 },
        { seconds: 900, why: 'a response stream lasts at most 15 minutes' },
      ),
    })
    .prefault({}),
  instagram: z
    .strictObject({
      /** Set false to deploy without the publisher and its schedules. */
      enabled: z.boolean().default(true),
      /** `instagram` (Instagram Login) or `facebook` (Facebook Login, a Page-linked account). */
      api: z.enum(['instagram', 'facebook']).default('instagram'),
      graphVersion: z
        .string()
        .regex(GRAPH_VERSION, 'expected a Graph API version like v24.0')
        .default('v24.0'),
      /** How often the publisher ticks: claims due posts and moves each one step. */
      publishEveryMinutes: z.number().int().min(1).max(1440).default(5),
      /** The daily token refresh runs at this hour (UTC). */
      tokenRefreshHourUtc: z.number().int().min(0).max(23).default(3),
    })
    .prefault({}),
  /**
   * Per character: the Discord application's public key (verifies interactions) and id. Neither is
   * a secret; the bot token is, and goes in the environment's secret.
   */
  discord: z
    .record(
      characterId,
      z.strictObject({
        publicKey: z
          .string()
          .regex(DISCORD_PUBLIC_KEY, 'expected the 64-hex-digit public key from the developer portal'),
        applicationId: z.string().regex(SNOWFLAKE, 'expected the numeric application id').optional(),
      }),
    )
    .default({}),
});

function unique(ids: string[]): boolean {
  return new Set(ids).size === ids.length;
}

export type EnvironmentConfig = z.output<typeof environmentSchema>;
export type FunctionSettings = EnvironmentConfig['functions']['runner'];
