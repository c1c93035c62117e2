import { z } from 'zod';
import { ConfigError, type ConfigProblem } from '../errors.ts';
import type { FtpHostSettings } from '../media/media-host.ts';
import { envIdPart } from '../config/env-names.ts';

export type GraphApi = 'instagram' | 'facebook';

/** The Graph API host for each login flavour. */
export const GRAPH_HOSTS: Record<GraphApi, string> = {
  instagram: 'https://graph.instagram.com',
  facebook: 'https://graph.facebook.com',
};

const flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'expected true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** Graph API versions as Meta names them: `v24.0`. */
export const GRAPH_VERSION = /^v\d+\.\d+$/;

const httpUrl = z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' });

/**
 * The Instagram and media-hosting settings, read from the environment (`.env` locally, Secrets
 * Manager on AWS). Everything is optional here: posts can be queued before publishing is set up,
 * and the scheduler says what is missing on each post it cannot move.
 */
export const instagramEnvSchema = z.object({
  FTP_SERVER: z.string().min(1).optional(),
  FTP_PORT: z.coerce
    .number({ error: 'expected a port number' })
    .int()
    .min(1)
    .max(65_535, 'expected a port number from 1 to 65535')
    .default(21),
  FTP_USERNAME: z.string().optional(),
  FTP_PASSWORD: z.string().optional(),
  FTP_DIRECTORY: z.string().default('/'),
  // Unset: FTPS when deployed, plain FTP locally (see parseInstagramSettings).
  FTP_SECURE: flag.optional(),
  FTP_INSECURE_TLS: flag.default(false),
  HTTP_SERVER: httpUrl.optional(),
  INSTAGRAM_ACCOUNT_ID: z.string().regex(/^\d+$/, 'expected the numeric Instagram account id').optional(),
  INSTAGRAM_ACCESS_TOKEN: z.string().min(1).optional(),
  INSTAGRAM_GRAPH_URL: httpUrl.optional(),
  INSTAGRAM_API: z
    .enum(['instagram', 'facebook'], { error: 'expected instagram or facebook' })
    .default('instagram'),
  // How long one publisher tick may work before it gives its remaining posts back; the Lambda
  // sets it below its own timeout. A typo must not silently mean "no budget".
  CARRIER_PUBLISH_BUDGET_MS: z
    .string()
    .regex(/^\d+$/, 'expected a whole number of milliseconds, like 120000')
    .transform(Number)
    .pipe(z.number().min(1000, 'expected at least 1000 (milliseconds)'))
    .default(120_000),
  // Claims of one post in a row that may die (crash, timeout, out of memory) before it fails.
  CARRIER_POST_MAX_CLAIMS: z
    .string()
    .regex(/^\d+$/, 'expected a whole number of claims, like 5')
    .transform(Number)
    .pipe(z.number().min(1, 'expected at least 1'))
    .default(5),
  INSTAGRAM_GRAPH_VERSION: z
    .string()
    .regex(GRAPH_VERSION, 'expected a Graph API version like v24.0')
    .default('v24.0'),
});

export interface InstagramAccount {
  accountId: string;
  accessToken: string;
  /** The variable holding the token, so a refreshed token is written back to the same name. */
  tokenKey: string;
}

export interface InstagramSettings {
  /** Media hosting; undefined until FTP_SERVER and HTTP_SERVER are set. */
  ftp?: FtpHostSettings;
  graph: { api: GraphApi; version: string; baseUrl: string };
  /** CARRIER_PUBLISH_BUDGET_MS: how long one publisher tick may work, in ms (default 120000). */
  publishBudgetMs: number;
  /** CARRIER_POST_MAX_CLAIMS: claims of a post in a row that may die before it fails (default 5). */
  postMaxClaims: number;
  /** The account a character posts to: its own `INSTAGRAM_<ID>_...` pair, else the shared one. */
  account(characterId: string): InstagramAccount | undefined;
  /** Every configured account, for the token refresh. */
  accounts(): InstagramAccount[];
  /** Uses a refreshed token from now on, in this process (the secret store keeps it for the next). */
  replaceToken(tokenKey: string, accessToken: string): void;
}

const KNOWN = new Set(Object.keys(instagramEnvSchema.shape));
const PER_CHARACTER = /^INSTAGRAM_([A-Z0-9_]+)_(ACCOUNT_ID|ACCESS_TOKEN)$/;

/** `INSTAGRAM_<ID>_` prefix of a character: its id upper-cased, other characters as `_`. */
export function characterEnvPrefix(characterId: string): string {
  return `INSTAGRAM_${envIdPart(characterId)}_`;
}

export interface InstagramSettingsOptions {
  /**
   * Deployed, media go over FTPS unless FTP_SECURE=false is set explicitly (and `warn` is told
   * why that is a risk); locally plain FTP is the default, for local test servers.
   */
  deployed?: boolean;
  warn?: (message: string) => void;
}

/**
 * Validates the Instagram settings in an environment record, rejecting typos among the
 * `INSTAGRAM_*` and `FTP_*` names and half-configured pairs.
 *
 * @example
 * const settings = parseInstagramSettings(process.env, { deployed: true, warn: log.warn });
 * settings.account('ada'); // { accountId, accessToken, tokenKey: 'INSTAGRAM_ADA_ACCESS_TOKEN' } or the shared pair
 */
export function parseInstagramSettings(
  env: Record<string, string | undefined>,
  options: InstagramSettingsOptions = {},
): InstagramSettings {
  const problems: ConfigProblem[] = [];
  const problem = (path: string, message: string) => problems.push({ file: 'environment', path, message });
  const values = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));

  const parsed = instagramEnvSchema.safeParse(values);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problem(issue.path.join('.'), issue.message);
  }
  const perCharacter = new Map<string, { accountId?: string; accessToken?: string }>();
  for (const [key, value] of Object.entries(values)) {
    if (!/^(INSTAGRAM|FTP)_/.test(key) || KNOWN.has(key)) continue;
    const match = PER_CHARACTER.exec(key);
    if (!match) {
      problem(
        key,
        `unknown setting; known: ${[...KNOWN].join(', ')}, INSTAGRAM_<CHARACTER>_ACCOUNT_ID/ACCESS_TOKEN`,
      );
      continue;
    }
    const entry = perCharacter.get(match[1]!) ?? {};
    if (match[2] === 'ACCOUNT_ID') entry.accountId = value;
    else entry.accessToken = value;
    perCharacter.set(match[1]!, entry);
  }
  for (const [id, entry] of perCharacter) {
    if (!entry.accountId || !entry.accessToken) {
      const missing = entry.accountId ? 'ACCESS_TOKEN' : 'ACCOUNT_ID';
      problem(
        `INSTAGRAM_${id}_${missing}`,
        'missing: set both the account id and the access token, or neither',
      );
    }
  }
  if (!parsed.success || problems.length) throw new ConfigError(problems);
  const s = parsed.data;

  const ftpKeys = ['FTP_SERVER', 'FTP_USERNAME', 'FTP_PASSWORD', 'HTTP_SERVER'] as const;
  const given = ftpKeys.filter((k) => s[k] !== undefined);
  if (given.length && given.length < ftpKeys.length) {
    for (const k of ftpKeys.filter((k) => s[k] === undefined)) {
      problem(k, `missing: media hosting needs ${ftpKeys.join(', ')} (set with ${given.join(', ')})`);
    }
  }
  if (Boolean(s.INSTAGRAM_ACCOUNT_ID) !== Boolean(s.INSTAGRAM_ACCESS_TOKEN)) {
    problem(
      s.INSTAGRAM_ACCOUNT_ID ? 'INSTAGRAM_ACCESS_TOKEN' : 'INSTAGRAM_ACCOUNT_ID',
      'missing: set both INSTAGRAM_ACCOUNT_ID and INSTAGRAM_ACCESS_TOKEN, or neither',
    );
  }
  if (problems.length) throw new ConfigError(problems);

  const shared: InstagramAccount | undefined =
    s.INSTAGRAM_ACCOUNT_ID && s.INSTAGRAM_ACCESS_TOKEN
      ? {
          accountId: s.INSTAGRAM_ACCOUNT_ID,
          accessToken: s.INSTAGRAM_ACCESS_TOKEN,
          tokenKey: 'INSTAGRAM_ACCESS_TOKEN',
        }
      : undefined;
  const own = new Map(
    [...perCharacter].map(([id, e]) => [
      id,
      { accountId: e.accountId!, accessToken: e.accessToken!, tokenKey: `INSTAGRAM_${id}_ACCESS_TOKEN` },
    ]),
  );
  const secure = s.FTP_SECURE ?? options.deployed ?? false;
  if (options.deployed && s.FTP_SECURE === false && s.FTP_SERVER) {
    options.warn?.(
      `FTP_SECURE=false: media and the FTP password go to ${s.FTP_SERVER} unencrypted; remove it (FTPS is the default when deployed) unless the server has no TLS`,
    );
  }
  const hosted =
    s.FTP_SERVER && s.HTTP_SERVER
      ? {
          ftp: {
            host: s.FTP_SERVER,
            port: s.FTP_PORT,
            user: s.FTP_USERNAME ?? '',
            password: s.FTP_PASSWORD ?? '',
            directory: s.FTP_DIRECTORY,
            secure,
            insecureTls: s.FTP_INSECURE_TLS,
            httpServer: s.HTTP_SERVER.replace(/\/+$/, ''),
          },
        }
      : {};
  return {
    ...hosted,
    graph: {
      api: s.INSTAGRAM_API,
      version: s.INSTAGRAM_GRAPH_VERSION,
      baseUrl: (s.INSTAGRAM_GRAPH_URL ?? GRAPH_HOSTS[s.INSTAGRAM_API]).replace(/\/+$/, ''),
    },
    publishBudgetMs: s.CARRIER_PUBLISH_BUDGET_MS,
    postMaxClaims: s.CARRIER_POST_MAX_CLAIMS,
    account: (characterId) => own.get(characterEnvPrefix(characterId).slice(10, -1)) ?? shared,
    accounts: () => [...(shared ? [shared] : []), ...own.values()],
    replaceToken: (tokenKey, accessToken) => {
      for (const account of [shared, ...own.values()]) {
        if (account?.tokenKey === tokenKey) account.accessToken = accessToken;
      }
    },
  };
}
