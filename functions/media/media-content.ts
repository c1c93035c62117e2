import { rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { OutboundFetch } from '../ports/outbound.ts';
import { MediaError } from './errors.ts';
import { sniffFormat, type MediaFormat } from './sniff.ts';

/**
 * A loaded media file: small ones (images, which are converted in memory anyway) as bytes,
 * videos as a file, so a 300 MB reel never sits in memory. A temporary file is removed by
 * {@link disposeContent}; a local source file is read where it is and never removed.
 */
export type MediaContent =
  | { kind: 'memory'; format: MediaFormat; size: number; bytes: Buffer }
  | { kind: 'file'; format: MediaFormat; size: number; path: string; temporary: boolean };

/** How a format is loaded: its size cap and where its bytes go. */
export interface LoadPlan {
  maxBytes: number;
  store: 'memory' | 'file';
}

/**
 * Removes a temporary file (and its folder); nothing for bytes or a local source.
 *
 * @example await disposeContent(content);
 */
export async function disposeContent(content: MediaContent): Promise<void> {
  if (content.kind === 'file' && content.temporary) {
    await rm(dirname(content.path), { recursive: true, force: true });
  }
}

export interface LoadOptions {
  /**
   * How each format is loaded, decided from the first bytes: its size cap (images and videos
   * have different limits) and whether it goes to memory or a file. Throws a MediaError for a
   * format the use does not take, so a wrong file stops after its first bytes.
   */
  plan(format: MediaFormat, source: string): LoadPlan;
  /**
   * The pinned fetch (OutboundFetch) for http(s) sources: a post's media URL is user input,
   * and the publisher runs next to the cloud metadata service and internal hosts. Deployed it
   * reaches public addresses only; the local stack's reaches its own files on 127.0.0.1 and
   * the LAN.
   */
  fetch?: OutboundFetch;
  timeoutMs?: number;
  /** Where downloads stored as files go. Default: the system temp folder. */
  tmpDir?: string;
}

/** The first bytes read to tell the format. */
export const SNIFF_BYTES = 64;

/** The format from the first bytes; anything else is refused before more is read. */
export function knownFormat(head: Buffer, source: string): MediaFormat {
  const format = sniffFormat(head);
  if (format) return format;
  throw new MediaError(
    `${source}: not an image or video Instagram accepts; use JPEG, PNG or WebP images, or MP4/MOV videos`,
    false,
  );
}

/** The error for a file past its cap. */
export function tooLarge(source: string, maxBytes: number): MediaError {
  return new MediaError(`${source}: the file is larger than ${Math.round(maxBytes / 2 ** 20)} MB`, false);
}
