import { DEFAULT_QUOTA, QuotaReader } from './quota.ts';
import type { PublisherDeps } from './tick.ts';

/**
 * The live quota a content plan keeps within: the character's account's
 * content_publishing_limit, read once per call (the default when it cannot be read).
 *
 * @example
 * planPosts(characters, { ...deps, quota: liveQuota(publisherDeps) });
 */
export function liveQuota(deps: Pick<PublisherDeps, 'settings' | 'graph'>) {
  return async (characterId: string): Promise<{ total: number; windowSeconds: number }> => {
    const account = deps.settings.account(characterId);
    if (!account) return DEFAULT_QUOTA;
    const { total, windowSeconds } = await new QuotaReader().read(account.accountId, deps.graph(account));
    return { total, windowSeconds };
  };
}
