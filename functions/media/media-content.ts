import { rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { MediaFormat } from './sniff.ts';

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
