import { ftpFolder, localFolder } from '../adapters/media-folder/folders.ts';
import { SqlScheduleRepository } from '../adapters/store/schedules.ts';
import { loadCharacter } from '../characters/load.ts';
import { planPosts, type PlanOutcome } from '../instagram/plan.ts';
import { liveQuota } from '../instagram/plan-quota.ts';
import type { PublisherDeps } from '../instagram/tick.ts';
import type { Log } from '../ports/log.ts';
import type { SqlStore } from '../ports/sql.ts';

/**
 * The content plans' step of a publisher tick, composed once: plans read their folder on the
 * FTP host when deployed with one (public URLs), else on this machine; the quota is the live one.
 * A failing plan is logged and never stops the publishing that follows.
 *
 * @example
 * const plan = planStep({ store, publisher: deps, characters: ['juniper'], deployed: true });
 * await plan(); await tickPublisher(deps);
 */
export function planStep(parts: {
  store: SqlStore;
  publisher: PublisherDeps;
  characters: string[];
  deployed: boolean;
  log?: Log;
}): () => Promise<PlanOutcome[]> {
  const ftp = parts.publisher.settings.ftp;
  const deps = {
    posts: parts.publisher.posts,
    schedules: new SqlScheduleRepository(parts.store),
    listMedia: parts.deployed && ftp ? ftpFolder(ftp) : localFolder,
    quota: liveQuota(parts.publisher),
    now: () => new Date(),
  };
  return async () => {
    try {
      const characters = await Promise.all(parts.characters.map((id) => loadCharacter(id)));
      const outcomes = await planPosts(characters, deps);
      for (const o of outcomes)
        if (o.outcome === 'planned')
          parts.log?.info('content plan queued a post', { character: o.characterId, postId: o.post.id });
      return outcomes;
    } catch (error) {
      parts.log?.error('content plan failed; publishing goes on', {
        error: error instanceof Error ? error.message : String(error),
      });
      return [];
    }
  };
}
