import { createHash } from 'node:crypto';
import type { InstagramAccount, InstagramSettings } from '../instagram/settings.ts';
import { failed, messageOf, passed, ProbeError, skipped, type CheckResult } from './check.ts';
import { settingsHome } from './config-checks.ts';
import type { DoctorProbes, StoreFacts } from './probes.ts';

const DAY_MS = 86_400_000;
/** The daily token refresh raises its alarm this close to expiry; doctor says so at the same point. */
const WARN_DAYS = 7;
/** Meta's quota when content_publishing_limit does not say (the publisher assumes the same). */
const DEFAULT_QUOTA = 50;

/**
 * Every Instagram account: Meta accepts its token (one authenticated, read-only call), the token
 * is not about to expire (as far as the store's refresh records know), and the rolling 24 h
 * publishing quota is not used up.
 *
 * @example
 * await checkInstagram(instagram, { deployed: true, probe: probes.instagramQuota, tokens: facts.tokens, now: new Date() });
 */
export async function checkInstagram(
  instagram: InstagramSettings,
  options: {
    deployed: boolean;
    probe: DoctorProbes['instagramQuota'];
    tokens?: StoreFacts['tokens'];
    now: Date;
  },
): Promise<CheckResult[]> {
  const accounts = instagram.accounts();
  if (!accounts.length) {
    return [
      skipped('instagram', 'no account configured (INSTAGRAM_ACCOUNT_ID and INSTAGRAM_ACCESS_TOKEN unset)'),
    ];
  }
  const results = await Promise.all(accounts.map((account) => checkAccount(instagram, account, options)));
  return results.flat();
}

async function checkAccount(
  instagram: InstagramSettings,
  account: InstagramAccount,
  options: Parameters<typeof checkInstagram>[1],
): Promise<CheckResult[]> {
  const { tokenKey, accountId } = account;
  const name = `instagram ${tokenKey}`;
  const home = settingsHome(options.deployed);
  const renew = `create a new long-lived token for account ${accountId} and set ${tokenKey} in ${home}`;
  let quota: Awaited<ReturnType<DoctorProbes['instagramQuota']>>;
  try {
    quota = await options.probe(instagram.graph, account);
  } catch (error) {
    const kind = error instanceof ProbeError ? error.kind : 'unreachable';
    const why = messageOf(error);
    if (kind === 'rejected') return [failed(name, `Meta refused ${tokenKey} (${why})`, renew)];
    if (kind === 'missing') {
      return [
        failed(
          name,
          `Meta does not know account ${accountId} for this token (${why})`,
          `set the account id next to ${tokenKey} to the Instagram account's numeric id`,
        ),
      ];
    }
    if (kind === 'unreachable') {
      return [
        failed(
          name,
          `cannot reach the Graph API at ${instagram.graph.baseUrl} (${why})`,
          'check the network, or INSTAGRAM_GRAPH_URL if you set it',
        ),
      ];
    }
    return [
      failed(
        name,
        `Meta refused the quota read (${why})`,
        'act on what Meta says; a rate limit clears by itself within the hour',
      ),
    ];
  }
  const results = [expiry(name, account, options, renew, instagram.graph.api)];
  const total = quota.total ?? DEFAULT_QUOTA;
  const window = `${quota.used} of ${total} posts in the last 24 h`;
  results.push(
    quota.used >= total
      ? failed(
          `instagram quota ${accountId}`,
          `${window}: publishing waits until the window frees up`,
          'nothing to set: due posts publish as older ones leave the 24 h window; spread the schedule to stay under it',
        )
      : passed(`instagram quota ${accountId}`, window),
  );
  return results;
}

function expiry(
  name: string,
  account: InstagramAccount,
  options: Parameters<typeof checkInstagram>[1],
  renew: string,
  api: InstagramSettings['graph']['api'],
): CheckResult {
  const sha = createHash('sha256').update(account.accessToken).digest('hex');
  const known = options.tokens?.get(account.accountId);
  const expiresAt = known?.sha256 === sha ? known.expiresAt : undefined;
  if (!expiresAt)
    return passed(name, 'Meta accepts it; expiry not known yet (the daily token refresh records it)');
  const days = (+expiresAt - +options.now) / DAY_MS;
  const on = expiresAt.toISOString().slice(0, 10);
  if (days > WARN_DAYS) return passed(name, `Meta accepts it; expires on ${on}`);
  const when = days <= 0 ? `expired on ${on}` : `expires in ${Math.ceil(days)} days, on ${on}`;
  const fix =
    api === 'instagram'
      ? `check the token refresh's log (it renews tokens older than 24 h), or ${renew}`
      : `Facebook Login tokens are not refreshed here: ${renew}`;
  return failed(name, `${account.tokenKey} ${when}`, fix);
}
