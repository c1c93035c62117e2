import { disposePrepared, prepareMedia, type PreparedMedia } from '../../media/prepare.ts';
import type { Post, PostMedia } from '../post.ts';
import type { StepContext, StepResult } from './context.ts';
import { advance, wait } from './outcomes.ts';
import { writePostCaption } from './write-caption.ts';

/**
 * scheduled → media_hosted: writes the caption in the character's voice when only a prompt was
 * given (see writePostCaption), then fetches, prepares and
 * uploads every media item and checks its public URL. Media URLs are downloaded through the
 * tick's outbound fetch, so they reach only addresses the deployment's policy allows.
 */
export async function hostMedia(ctx: StepContext, post: Post): Promise<StepResult> {
  if (!ctx.host) {
    return wait(ctx, post, {
      until: new Date(+ctx.now() + 15 * 60_000),
      reason: 'media hosting is not configured: set FTP_SERVER, FTP_USERNAME, FTP_PASSWORD and HTTP_SERVER',
      errorKind: 'retry',
    });
  }
  let current = post;
  if (current.captionPrompt && current.caption === null) {
    const next = await writePostCaption(ctx, current, current.captionPrompt);
    if (!next) return undefined;
    current = next;
  }
  const prepared: PreparedMedia[] = [];
  try {
    for (const item of current.media) {
      prepared.push(await prepareMedia(item.source, current.kind, { fetch: ctx.fetch }));
    }
    const hosted = await ctx.host.host(prepared);
    const media: PostMedia[] = prepared.map((p, i) => ({
      source: p.source,
      url: hosted[i]!.url,
      name: p.name,
      type: p.type,
      bytes: p.content.size,
      ...(p.width !== undefined ? { width: p.width, height: p.height } : {}),
      ...(p.durationMs !== undefined ? { durationMs: p.durationMs } : {}),
    }));
    return await advance(ctx, current, { from: 'scheduled', to: 'media_hosted', media });
  } finally {
    // Downloaded videos wait in temporary files only until they are hosted (or failed to be).
    await disposePrepared(prepared);
  }
}
