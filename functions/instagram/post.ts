import { IDEMPOTENCY_KEY } from '../http/idempotency-key.ts';
import { z } from 'zod';
import { CHARACTER_ID } from '../characters/character-id.ts';

export const POST_KINDS = ['image', 'reel', 'carousel', 'story'] as const;
export type PostKind = (typeof POST_KINDS)[number];

export const POST_STATES = [
  'scheduled',
  'media_hosted',
  'container_created',
  'container_ready',
  'publishing',
  'published',
  'failed',
  'cancelled',
] as const;
export type PostState = (typeof POST_STATES)[number];

/** States a scheduler still has work to do in. */
export const ACTIVE_STATES: readonly PostState[] = [
  'scheduled',
  'media_hosted',
  'container_created',
  'container_ready',
  'publishing',
];

/** One media item: its source as given, and where it is hosted once prepared. */
export interface PostMedia {
  /** An http(s) URL or an absolute local path. */
  source: string;
  url?: string;
  /** The hosted file name: the content's SHA-256 and an extension, ASCII only. */
  name?: string;
  type?: 'image' | 'video';
  bytes?: number;
  width?: number;
  height?: number;
  durationMs?: number;
}

export interface ReelOptions {
  shareToFeed?: boolean;
  coverUrl?: string;
  /** Milliseconds into the video for the cover frame. */
  thumbOffset?: number;
}

export type ErrorKind = 'retry' | 'fix_input' | 'reauth' | 'unknown_outcome' | 'quota';

export interface Post {
  id: string;
  characterId: string;
  kind: PostKind;
  media: PostMedia[];
  caption: string | null;
  captionPrompt: string | null;
  options: ReelOptions;
  state: PostState;
  scheduledAt: Date;
  nextAttemptAt: Date;
  attempts: number;
  polls: number;
  leaseOwner: string | null;
  leaseUntil: Date | null;
  accountId: string | null;
  children: string[] | null;
  containerId: string | null;
  containerCreatedAt: Date | null;
  publishingStartedAt: Date | null;
  mediaId: string | null;
  permalink: string | null;
  reason: string | null;
  errorKind: ErrorKind | null;
  errorCode: number | null;
  errorSubcode: number | null;
  idempotencyKey: string | null;
  /** SHA-256 of the request that created the post with an idempotency key, to tell a resend from a reuse. */
  requestSha256: string | null;
  createdAt: Date;
  updatedAt: Date;
  publishedAt: Date | null;
}

const VIDEO_EXTENSION = /\.(mp4|mov|m4v)(\?.*)?$/i;
const MAX_CAPTION = 2200;

/**
 * A new post as the API and the CLI accept it. The kind defaults from the media: several items
 * make a carousel, one video a reel, one image an image post.
 */
export const newPostSchema = z
  .strictObject({
    character: z.string().regex(CHARACTER_ID, 'expected a character id: lower-case letters, digits, - and _'),
    media: z
      .array(z.string().min(1))
      .min(1, 'give at least one media path or URL')
      .max(10, 'a carousel holds at most 10 items'),
    kind: z.enum(POST_KINDS).optional(),
    caption: z
      .string()
      .max(MAX_CAPTION, `Instagram captions hold at most ${MAX_CAPTION} characters`)
      .optional(),
    captionPrompt: z.string().min(1).max(4000).optional(),
    at: z.iso
      .datetime({ offset: true, message: 'expected an ISO-8601 time, e.g. 2030-01-31T09:00:00Z' })
      .optional(),
    shareToFeed: z.boolean().optional(),
    coverUrl: z.url({ protocol: /^https?$/ }).optional(),
    thumbOffset: z.number().int().nonnegative().optional(),
    idempotencyKey: z
      .string()
      .regex(IDEMPOTENCY_KEY, 'expected 1-255 printable ASCII characters, e.g. a UUID')
      .optional(),
  })
  .superRefine((post, ctx) => {
    const kind = post.kind ?? inferKind(post.media);
    const count = post.media.length;
    if (kind === 'carousel' && count < 2) {
      ctx.addIssue({ code: 'custom', path: ['media'], message: 'a carousel needs 2 to 10 media items' });
    }
    if (kind !== 'carousel' && count !== 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['media'],
        message: `a ${kind} post takes exactly one media item; use kind "carousel" for 2 to 10`,
      });
    }
    if (post.caption !== undefined && post.captionPrompt !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['captionPrompt'],
        message: 'give either a caption or a caption prompt, not both',
      });
    }
    if (kind === 'story' && (post.caption !== undefined || post.captionPrompt !== undefined)) {
      ctx.addIssue({ code: 'custom', path: ['caption'], message: 'Instagram stories have no caption' });
    }
    if (kind === 'reel' && !VIDEO_EXTENSION.test(post.media[0] ?? '')) {
      ctx.addIssue({ code: 'custom', path: ['media', 0], message: 'a reel needs an .mp4 or .mov video' });
    }
    if (
      kind !== 'reel' &&
      (post.shareToFeed !== undefined || post.coverUrl !== undefined || post.thumbOffset !== undefined)
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['kind'],
        message: 'shareToFeed, coverUrl and thumbOffset apply to reels only',
      });
    }
  });

export type NewPost = z.infer<typeof newPostSchema>;

/** The kind a post gets when none is given. */
export function inferKind(media: readonly string[]): PostKind {
  if (media.length > 1) return 'carousel';
  return VIDEO_EXTENSION.test(media[0] ?? '') ? 'reel' : 'image';
}

/** Whether a media source is a URL (anything else is a local path). */
export function isUrl(source: string): boolean {
  return /^https?:\/\//i.test(source);
}
