import { z } from 'zod';
import { timingFrom } from './spec.ts';
import type { Timing } from './timing.ts';

/**
 * `instagram.plan` in a character file: a content calendar. At each firing of `cron` the
 * character posts the next media file of `media` it has never posted, captioned from
 * `caption_prompt` in its voice, when the account's quota allows.
 */
export const contentPlanSchema = z
  .strictObject({
    cron: z.string(),
    timezone: z.string().default('UTC'),
    /** Locally a folder (relative to the working directory); deployed, a directory on the FTP server. */
    media: z.string().trim().min(1, 'name the folder that holds the media to post'),
    caption_prompt: z.string().trim().min(1, 'say what the captions should be about').max(2000),
  })
  .transform((spec, ctx) => {
    const timing = timingFrom(spec, ctx) as Extract<Timing, { kind: 'cron' }> | undefined;
    return { timing: timing!, media: spec.media, captionPrompt: spec.caption_prompt };
  });

export type ContentPlan = z.output<typeof contentPlanSchema>;
