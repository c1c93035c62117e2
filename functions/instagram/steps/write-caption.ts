import type { Admission } from '../../usage/budget-gate.ts';
import { writeCaption } from '../caption.ts';
import type { Post } from '../post.ts';
import type { StepContext, StepResult } from './context.ts';
import { advance, wait } from './outcomes.ts';

/** Who a caption's usage is counted for: the publisher, not a chat user. */
export const CAPTION_USER = 'instagram';

const RECHECK_MS = 3_600_000;

/**
 * Writes the caption of a post that was given only a prompt, and records it at once so a retry
 * does not pay for another. The model call counts against the character's daily budget as a
 * turn does: its worst case is reserved first (as turn `caption:<post>:<day>` of user
 * `instagram`) and what it used is settled after. Over the cap the character's fallback model
 * writes it, or without one the post waits (no attempt spent) until the budget resets.
 */
export async function writePostCaption(ctx: StepContext, post: Post, prompt: string): Promise<StepResult> {
  const character = await ctx.character(post.characterId);
  // One reservation a budget day: a caption refused today is asked for again tomorrow.
  const turnId = `caption:${post.id}:${ctx.budget?.today() ?? ''}`;
  const admission: Admission = ctx.budget
    ? await ctx.budget.admitOn({ turnId, character, userId: CAPTION_USER, userCapped: false }, ctx.model)
    : { kind: 'run', model: ctx.model(character) };
  if (admission.kind === 'refused') {
    return wait(ctx, post, {
      until: new Date(+ctx.now() + RECHECK_MS),
      reason:
        `over ${character.id}'s daily budget: the caption is written once it resets at midnight ` +
        `(${ctx.budget?.timeZone}), or raise budget.daily_usd in the character file`,
      errorKind: 'quota',
    });
  }
  const written = await writeCaption(character, prompt, admission.model, `post:${post.id}`);
  await ctx.budget?.settle(turnId, written.usage);
  ctx.report.captions.push({
    id: post.id,
    character: character.id,
    model: written.model.name,
    usage: written.usage,
  });
  ctx.log.info('caption written', {
    postId: post.id,
    model: written.model.name,
    chars: written.caption.length,
    trimmed: written.trimmed,
    costMicroUsd: written.usage.costMicroUsd,
    ...(admission.overCap ? { fallback: true } : {}),
  });
  return advance(ctx, post, { from: 'scheduled', to: 'scheduled', caption: written.caption });
}
