import { inferKind, isUrl, type NewPost } from './post.ts';
import type { CreatePostInput } from './post-repository.ts';

/**
 * Turns a validated NewPost into what the store creates: the kind filled in, the schedule
 * defaulting to now, reel options gathered. Local paths must already be absolute (the scheduler
 * may run elsewhere than the command that queued the post).
 */
export function toCreateInput(post: NewPost, now: Date): CreatePostInput {
  return {
    characterId: post.character,
    kind: post.kind ?? inferKind(post.media),
    media: post.media.map((source) => ({ source })),
    scheduledAt: post.at ? new Date(post.at) : now,
    ...(post.caption !== undefined ? { caption: post.caption } : {}),
    ...(post.captionPrompt !== undefined ? { captionPrompt: post.captionPrompt } : {}),
    options: {
      ...(post.shareToFeed !== undefined ? { shareToFeed: post.shareToFeed } : {}),
      ...(post.coverUrl !== undefined ? { coverUrl: post.coverUrl } : {}),
      ...(post.thumbOffset !== undefined ? { thumbOffset: post.thumbOffset } : {}),
    },
    ...(post.idempotencyKey !== undefined ? { idempotencyKey: post.idempotencyKey } : {}),
  };
}

/** Media items the HTTPS API refuses: it takes URLs only, so a caller cannot publish the server's files. */
export function localMediaIndexes(post: NewPost): number[] {
  return post.media.flatMap((source, i) => (isUrl(source) ? [] : [i]));
}
