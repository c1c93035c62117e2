import type { Post } from './post.ts';

/** A post as the API and `posts list|show --json` show it: no lease internals, dates as ISO strings. */
export interface PostView {
  id: string;
  character: string;
  kind: Post['kind'];
  state: Post['state'];
  scheduledAt: string;
  caption: string | null;
  captionPrompt: string | null;
  media: Array<{ source: string; url: string | null }>;
  mediaId: string | null;
  permalink: string | null;
  /** Why the post waits or failed. */
  reason: string | null;
  error: { kind: string; code: number | null; subcode: number | null } | null;
  attempts: number;
  nextAttemptAt: string | null;
  createdAt: string;
  publishedAt: string | null;
}

const ACTIVE = new Set(['scheduled', 'media_hosted', 'container_created', 'container_ready', 'publishing']);

export function postView(post: Post): PostView {
  return {
    id: post.id,
    character: post.characterId,
    kind: post.kind,
    state: post.state,
    scheduledAt: post.scheduledAt.toISOString(),
    caption: post.caption,
    captionPrompt: post.captionPrompt,
    media: post.media.map((m) => ({ source: m.source, url: m.url ?? null })),
    mediaId: post.mediaId,
    permalink: post.permalink,
    reason: post.reason,
    error: post.errorKind ? { kind: post.errorKind, code: post.errorCode, subcode: post.errorSubcode } : null,
    attempts: post.attempts,
    nextAttemptAt: ACTIVE.has(post.state) ? post.nextAttemptAt.toISOString() : null,
    createdAt: post.createdAt.toISOString(),
    publishedAt: post.publishedAt?.toISOString() ?? null,
  };
}
