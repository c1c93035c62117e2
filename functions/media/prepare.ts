import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { OutboundFetch } from '../ports/outbound.ts';
import { MediaError } from './errors.ts';
import { MAX_IMAGE_BYTES, prepareImage } from './image.ts';
import { loadMedia } from './load.ts';
import { disposeContent, type LoadPlan, type MediaContent } from './media-content.ts';
import { VIDEO_FORMATS, type MediaFormat } from './sniff.ts';
import { checkVideo, VIDEO_LIMITS } from './video.ts';
import { inspectVideoFile } from './video-file.ts';

/** Where a media item will appear: feed images have an aspect range, stories and reels have their own limits. */
export type MediaUse = 'image' | 'carousel' | 'story' | 'reel';

export interface PreparedMedia {
  source: string;
  /** What to upload: a JPEG in memory, or a video file (temporary when downloaded; see disposePrepared). */
  content: MediaContent;
  /** `<sha256>.jpg|.mp4|.mov`: ASCII, and the same content always gets the same name. */
  name: string;
  type: 'image' | 'video';
  contentType: string;
  width?: number;
  height?: number;
  durationMs?: number;
}

/** The largest image source worth reading: it may shrink a lot when converted to a 1440 px JPEG. */
export const MAX_IMAGE_SOURCE_BYTES = 4 * MAX_IMAGE_BYTES;

/**
 * How a use loads each format: images in memory up to MAX_IMAGE_SOURCE_BYTES, videos streamed
 * to a file up to Meta's limit for the use. A format the use does not take is refused as soon
 * as the first bytes show it.
 */
function planFor(use: MediaUse) {
  return (format: MediaFormat, source: string): LoadPlan => {
    if (VIDEO_FORMATS.includes(format)) {
      if (use === 'image')
        throw new MediaError(`${source}: this is a video; post it with kind "reel"`, false);
      return { maxBytes: videoLimits(use).maxBytes, store: 'file' };
    }
    if (use === 'reel')
      throw new MediaError(`${source}: a reel needs an MP4 or MOV video, not an image`, false);
    return { maxBytes: MAX_IMAGE_SOURCE_BYTES, store: 'memory' };
  };
}

const videoLimits = (use: MediaUse) =>
  VIDEO_LIMITS[use === 'story' ? 'story' : use === 'carousel' ? 'carousel' : 'reel'];

/**
 * Fetches, validates and prepares one media item for Instagram: images become JPEGs within
 * Meta's size and aspect rules, videos are checked as MP4/MOV within the limits of their use.
 * Errors name the source and say what to change; a downloaded video's temporary file is
 * removed when preparing fails, and by {@link disposePrepared} after hosting.
 *
 * @example const prepared = await prepareMedia('./cat.png', 'image');  // prepared.name === '<sha256>.jpg'
 */
export async function prepareMedia(
  source: string,
  use: MediaUse,
  opts: { fetch?: OutboundFetch; tmpDir?: string } = {},
): Promise<PreparedMedia> {
  const content = await loadMedia(source, { plan: planFor(use), ...opts });
  try {
    return content.kind === 'file'
      ? await prepareVideo(source, use, content)
      : await prepareStill(source, use, content);
  } catch (error) {
    await disposeContent(content);
    throw error;
  }
}

async function prepareVideo(
  source: string,
  use: MediaUse,
  content: Extract<MediaContent, { kind: 'file' }>,
): Promise<PreparedMedia> {
  const info = await inspectVideoFile(content.path, source);
  checkVideo(info, content.size, videoLimits(use), source, use === 'carousel' ? 'carousel video' : use);
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(content.path)) hash.update(chunk as Buffer);
  return {
    source,
    content,
    name: `${hash.digest('hex')}.${content.format}`,
    type: 'video',
    contentType: content.format === 'mov' ? 'video/quicktime' : 'video/mp4',
    durationMs: info.durationMs,
    ...(info.width ? { width: info.width, height: info.height } : {}),
  };
}

async function prepareStill(
  source: string,
  use: MediaUse,
  content: Extract<MediaContent, { kind: 'memory' }>,
): Promise<PreparedMedia> {
  const image = await prepareImage(content.bytes, content.format, { name: source, feed: use !== 'story' });
  return {
    source,
    content: { kind: 'memory', format: 'jpeg', size: image.bytes.length, bytes: image.bytes },
    name: `${createHash('sha256').update(image.bytes).digest('hex')}.jpg`,
    type: 'image',
    contentType: 'image/jpeg',
    width: image.width,
    height: image.height,
  };
}

/**
 * Removes the temporary files of prepared media (downloaded videos); call it once they are
 * hosted, or when hosting fails.
 *
 * @example try { await host.host(prepared); } finally { await disposePrepared(prepared); }
 */
export async function disposePrepared(prepared: readonly PreparedMedia[]): Promise<void> {
  await Promise.all(prepared.map((p) => disposeContent(p.content)));
}
