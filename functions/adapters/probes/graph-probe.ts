import { ProbeError } from '../../doctor/check.ts';
import { GraphError } from '../../instagram/errors.ts';
import { GraphClient } from '../graph/graph-client.ts';
import type { InstagramAccount, InstagramSettings } from '../../instagram/settings.ts';

/**
 * The account's publishing quota (GET /{account}/content_publishing_limit): read-only, and it
 * needs a live token for that account, so it proves the token and the account id at once.
 *
 * @example
 * await probeInstagramQuota(instagram.graph, account); // { used: 3, total: 50 }
 */
export async function probeInstagramQuota(
  graph: InstagramSettings['graph'],
  account: InstagramAccount,
  timeoutMs = 10_000,
): Promise<{ used: number; total?: number }> {
  const client = new GraphClient({ ...graph, ...account, timeoutMs });
  try {
    const limit = await client.publishingLimit();
    return { used: limit.quotaUsage, ...(limit.quotaTotal !== undefined ? { total: limit.quotaTotal } : {}) };
  } catch (error) {
    if (!(error instanceof GraphError)) throw error;
    // The check says what to do; Meta's own words (the message's last parenthesis) say why.
    const theirs = /\((Meta [^()]*(?:\([^()]*\)[^()]*)*)\)$/.exec(error.message)?.[1] ?? error.message;
    if (error.kind === 'reauth') throw new ProbeError(theirs, 'rejected', { cause: error });
    // Code 100 on an account node: the id does not exist or this token cannot see it.
    if (error.graph.code === 100) throw new ProbeError(error.message, 'missing', { cause: error });
    if (error.kind === 'unknown_outcome')
      throw new ProbeError(error.message, 'unreachable', { cause: error });
    throw new ProbeError(error.message, 'invalid', { cause: error });
  }
}
