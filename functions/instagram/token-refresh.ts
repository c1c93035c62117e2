import { createHash } from 'node:crypto';
import type { Log } from '../ports/log.ts';
import type { InstagramGraph } from './graph.ts';
import type { PostRepository } from './post-repository.ts';
import type { SecretWriter } from '../ports/secrets.ts';
import type { InstagramAccount, InstagramSettings } from './settings.ts';

const DAY_MS = 86_400_000;
/** Meta's long-lived tokens last 60 days; a token we have not seen refreshed is assumed that fresh. */
const LIFETIME_SECONDS = 60 * 86_400;
const WARN_DAYS = 7;

export interface TokenReport {
  refreshed: Array<{ tokenKey: string; expiresAt: string }>;
  skipped: Array<{ tokenKey: string; why: string }>;
  /** Tokens that expire within 7 days and could not be refreshed: someone must act. */
  expiring: Array<{ tokenKey: string; expiresAt: string; message: string }>;
}

export interface TokenRefreshDeps {
  posts: PostRepository;
  settings: InstagramSettings;
  secrets: SecretWriter;
  graph: (account: InstagramAccount) => InstagramGraph;
  fetch?: typeof fetch;
  now?: () => Date;
  log?: Log;
}

const sha256 = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * The daily token job. An Instagram Login token at least 24 h old is swapped for a new 60-day
 * one (refresh_access_token), stored with the SecretWriter and used from then on; the store keeps
 * only its hash and expiry. A token that cannot be refreshed (Facebook Login, or Meta refused)
 * and expires within 7 days is reported loudly, naming the variable to replace.
 *
 * @example
 * const report = await refreshTokens({ posts, settings, secrets: new LocalSecretsFile('.carrier/secrets.json') });
 */
export async function refreshTokens(deps: TokenRefreshDeps): Promise<TokenReport> {
  const now = deps.now ?? (() => new Date());
  const report: TokenReport = { refreshed: [], skipped: [], expiring: [] };
  const { graph } = deps;
  for (const account of deps.settings.accounts()) {
    const { tokenKey } = account;
    const record = await deps.posts.tokenSeen(
      account.accountId,
      sha256(account.accessToken),
      LIFETIME_SECONDS,
      now(),
    );
    const since = record.tokenRefreshedAt ?? record.tokenSeenAt ?? now();
    let why: string | undefined;
    if (deps.settings.graph.api !== 'instagram') {
      why = 'Facebook Login tokens are not refreshed here: renew the long-lived token before it expires';
    } else if (+now() - +since < DAY_MS) {
      report.skipped.push({ tokenKey, why: 'less than 24 h old: Meta refreshes only older tokens' });
      continue;
    } else {
      try {
        const fresh = await graph(account).refreshToken();
        const expiresAt = new Date(+now() + fresh.expiresInSeconds * 1000);
        await deps.secrets.write(tokenKey, fresh.accessToken);
        await deps.posts.tokenRefreshed(account.accountId, sha256(fresh.accessToken), expiresAt, now());
        deps.settings.replaceToken(tokenKey, fresh.accessToken);
        report.refreshed.push({ tokenKey, expiresAt: expiresAt.toISOString() });
        deps.log?.info('Instagram token refreshed', { tokenKey, expiresAt: expiresAt.toISOString() });
        continue;
      } catch (error) {
        why = `refresh failed: ${(error as Error).message}`;
      }
    }
    const expiresAt = record.tokenExpiresAt ?? new Date(+since + LIFETIME_SECONDS * 1000);
    const daysLeft = (+expiresAt - +now()) / DAY_MS;
    if (daysLeft <= WARN_DAYS) {
      const message =
        `${tokenKey} (Instagram account ${account.accountId}) expires ${daysLeft <= 0 ? 'now' : `in ${Math.ceil(daysLeft)} days`}, ` +
        `on ${expiresAt.toISOString()}, and was not refreshed (${why}): create a new long-lived token and set ${tokenKey}, or publishing stops`;
      report.expiring.push({ tokenKey, expiresAt: expiresAt.toISOString(), message });
      deps.log?.error(message, { tokenKey });
    } else {
      report.skipped.push({ tokenKey, why: why! });
      deps.log?.warn('Instagram token not refreshed', { tokenKey, why });
    }
  }
  return report;
}
