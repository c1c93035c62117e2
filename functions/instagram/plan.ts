import { basename } from 'node:path';
import type { ContentPlan } from '../schedules/plan-spec.ts';
import type { ScheduleRepository } from '../schedules/schedule-repository.ts';
import { dueFiring } from '../schedules/timing.ts';
import { inferKind, type Post } from './post.ts';
import type { PostRepository } from './post-repository.ts';

export interface PlanDeps {
  posts: PostRepository;
  /** Keeps each plan's last firing (source `plan`), so a restart runs a missed one once. */
  schedules: ScheduleRepository;
  /** The media files of a plan's folder, as sources a post takes (paths locally, URLs on FTP). */
  listMedia(folder: string): Promise<string[]>;
  /** The account's live quota for the character (content_publishing_limit), rolling window. */
  quota(characterId: string): Promise<{ total: number; windowSeconds: number }>;
  now: () => Date;
}

export interface PlannedCharacter {
  id: string;
  instagram?: { plan?: ContentPlan | undefined } | undefined;
}

export type PlanOutcome =
  | { characterId: string; outcome: 'planned'; post: Post }
  | { characterId: string; outcome: 'quota_full' | 'no_media' | 'not_due' };

const LIVE: ReadonlySet<string> = new Set(['published', 'failed', 'cancelled']);
const MEDIA = /\.(jpe?g|png|webp|mp4|mov)$/i;

/** A plan's post for a file: one per character and file name, ever (the posts' idempotency key). */
export const planPostKey = (characterId: string, file: string) => `plan:${characterId}:${basename(file)}`;

/**
 * Runs the characters' content calendars: at each firing of a plan's cron (the latest one due,
 * once), queues a post of the next file of its folder it never posted, with its caption prompt,
 * unless the posts published in the quota window plus those waiting to publish fill the live
 * quota. A file is posted at most once: its post's idempotency key is the character and the file
 * name, and files already keyed are skipped. A firing that finds the quota full stays due, so the
 * next tick after a slot frees posts it; the files wait in the folder meanwhile.
 *
 * @example
 * await planPosts(characters, { posts, schedules, listMedia, quota, now: () => new Date() });
 */
export async function planPosts(characters: PlannedCharacter[], deps: PlanDeps): Promise<PlanOutcome[]> {
  const outcomes: PlanOutcome[] = [];
  for (const character of characters) {
    const plan = character.instagram?.plan;
    if (plan) outcomes.push(await runPlan(character.id, plan, deps));
  }
  return outcomes;
}

async function runPlan(characterId: string, plan: ContentPlan, deps: PlanDeps): Promise<PlanOutcome> {
  const now = deps.now();
  const key = `p.${characterId}`.slice(0, 64);
  const row =
    (await deps.schedules.get(key)) ??
    (await deps.schedules.put({
      key,
      agentId: characterId,
      id: 'instagram-plan',
      source: 'plan',
      owner: null,
      timing: plan.timing,
      prompt: plan.captionPrompt,
      conversation: 'instagram-plan',
      user: { id: 'schedule' },
      deliver: { kind: 'none' },
      createdAt: now,
    }))!;
  const due = dueFiring(plan.timing, row.lastFiredAt ?? row.createdAt, now);
  if (!due) return { characterId, outcome: 'not_due' };

  const posts = await allPosts(deps.posts, characterId);
  const quota = await deps.quota(characterId);
  const since = +now - quota.windowSeconds * 1000;
  const taken = posts.filter(
    (p) =>
      !LIVE.has(p.state) || (p.state === 'published' && p.publishedAt !== null && +p.publishedAt > since),
  ).length;
  if (taken >= quota.total) return { characterId, outcome: 'quota_full' };

  const used = new Set(posts.map((p) => p.idempotencyKey));
  const files = (await deps.listMedia(plan.media)).filter((f) => MEDIA.test(f)).sort();
  const next = files.find((f) => !used.has(planPostKey(characterId, f)));
  if (!next) {
    await deps.schedules.markFired(key, due);
    return { characterId, outcome: 'no_media' };
  }
  const post = await deps.posts.create({
    characterId,
    kind: inferKind([next]),
    media: [{ source: next }],
    scheduledAt: now,
    captionPrompt: plan.captionPrompt,
    idempotencyKey: planPostKey(characterId, next),
    idempotencyScope: 'plan',
  });
  await deps.schedules.markFired(key, due);
  return { characterId, outcome: 'planned', post };
}

async function allPosts(posts: PostRepository, characterId: string): Promise<Post[]> {
  const all: Post[] = [];
  for (let offset = 0; ; offset += 200) {
    const page = await posts.list({ characterId, limit: 200, offset });
    all.push(...page);
    if (page.length < 200) return all;
  }
}
