import { createHash } from 'node:crypto';
import { MediaError } from './errors.ts';
import { MAX_IMAGE_BYTES, prepareImage } from './image.ts';
import { loadMedia } from './load.ts';
import { IMAGE_FORMATS, sniffFormat, VIDEO_FORMATS } from './sniff.ts';
import { checkVideo, inspectVideo, VIDEO_LIMITS } from './video.ts';

/** Where a media item will appear: feed images have an aspect range, stories and reels have their own limits. */
export type MediaUse = 'image' | 'carousel' | 'story' | 'reel';

export interface PreparedMedia {
  source: string;
  bytes: Buffer;
  /** `<sha256>.jpg|.mp4|.mov`: ASCII, and the same content always gets the same name. */
  name: string;
  type: 'image' | 'video';
  contentType: string;
  width?: number;
  height?: number;
  durationMs?: number;
}

/** The largest source worth reading: a reel, or an image before it is converted. */
const MAX_SOURCE_BYTES = Math.max(VIDEO_LIMITS.reel.maxBytes, 4 * MAX_IMAGE_BYTES);

/**
 * Fetches, validates and prepares one media item for Instagram: images become JPEGs within
 * Meta's size and aspect rules, videos are checked as MP4/MOV within the limits of their use.
 * Errors name the source and say what to change.
 *
 * @example const prepared = await prepareMedia('./cat.png', 'image');  // prepared.name === '<sha256>.jpg'
 */
export async function prepareMedia(
  source: string,
  use: MediaUse,
  opts: { allowPrivateAddresses?: boolean } = {},
): Promise<PreparedMedia> {
  const bytes = await loadMedia(source, {
    maxBytes: MAX_SOURCE_BYTES,
    allowPrivateAddresses: opts.allowPrivateAddresses ?? false,
  });
  const format = sniffFormat(bytes);
  if (format && VIDEO_FORMATS.includes(format)) {
    if (use === 'image') {
      throw new MediaError(`${source}: this is a video; post it with kind "reel"`, false);
    }
    const limits = VIDEO_LIMITS[use === 'story' ? 'story' : use === 'carousel' ? 'carousel' : 'reel'];
    const info = inspectVideo(bytes, source);
    checkVideo(info, bytes.length, limits, source, use === 'carousel' ? 'carousel video' : use);
    return {
      source,
      bytes,
      name: `${sha256(bytes)}.${format}`,
      type: 'video',
      contentType: format === 'mov' ? 'video/quicktime' : 'video/mp4',
      durationMs: info.durationMs,
      ...(info.width ? { width: info.width, height: info.height } : {}),
    };
  }
  if (format && IMAGE_FORMATS.includes(format)) {
    if (use === 'reel')
      throw new MediaError(`${source}: a reel needs an MP4 or MOV video, not an image`, false);
    const image = await prepareImage(bytes, format, { name: source, feed: use !== 'story' });
    return {
      source,
      bytes: image.bytes,
      name: `${sha256(image.bytes)}.jpg`,
      type: 'image',
      contentType: 'image/jpeg',
      width: image.width,
      height: image.height,
    };
  }
  throw new MediaError(
    `${source}: not an image or video Instagram accepts; use JPEG, PNG or WebP images, or MP4/MOV videos`,
    false,
  );
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}
