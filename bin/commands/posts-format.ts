import type { PostView } from '#core/instagram/post-view.ts';

// How `carrier posts list` and `show` print a post.

/** One post as a tab-separated line of `posts list`. */
export function line(post: PostView): string {
  const when = post.publishedAt ?? post.nextAttemptAt ?? post.scheduledAt;
  const note = post.permalink ?? post.reason ?? '';
  return [post.id, post.character, post.kind, post.state, when, note].join('\t');
}

/** A post as `posts show` prints it: one field a line, the empty ones left out. */
export function details(post: PostView): string {
  const rows: Array<[string, string | number | null]> = [
    ['id', post.id],
    ['character', post.character],
    ['kind', post.kind],
    ['state', post.state],
    ['scheduled', post.scheduledAt],
    ['next attempt', post.nextAttemptAt],
    [
      'caption',
      post.caption ?? (post.captionPrompt ? `(written when publishing: ${post.captionPrompt})` : null),
    ],
    ['media', post.media.map((m) => m.url ?? m.source).join(', ')],
    ['reason', post.reason],
    ['error', post.error ? errorLine(post.error) : null],
    ['media id', post.mediaId],
    ['permalink', post.permalink],
  ];
  return rows
    .filter(([, v]) => v !== null && v !== '')
    .map(([k, v]) => `${k.padEnd(13)}${v}`)
    .join('\n')
    .concat('\n');
}

/**
 * What kind of failure holds the post, with Meta's codes when Meta gave them: a missing account
 * is ours (`reauth`, no code), not an error of Meta's.
 *
 * @example errorLine({ kind: 'reauth', code: 190, subcode: 463 }); // 'reauth (Meta code 190, subcode 463)'
 */
export function errorLine(error: NonNullable<PostView['error']>): string {
  if (error.code === null) return error.kind;
  const subcode = error.subcode === null ? '' : `, subcode ${error.subcode}`;
  return `${error.kind} (Meta code ${error.code}${subcode})`;
}
