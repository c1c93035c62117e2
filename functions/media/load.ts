import { open } from 'node:fs/promises';
import type { OutboundFetch } from '../ports/outbound.ts';
import { downloadMedia } from './download.ts';
import { MediaError } from './errors.ts';
import type { LoadPlan, MediaContent } from './media-content.ts';
import { sniffFormat, type MediaFormat } from './sniff.ts';

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

/**
 * Reads a media source: an http(s) URL or a local file path. A missing file or a 4xx answer is
 * the author's to fix; a network error or a 5xx may pass, so it is retryable. Downloads are
 * streamed and stopped past the cap for their format; videos go to a temporary file.
 *
 * @example const content = await loadMedia('https://example.com/cat.png', { plan, fetch });
 */
export async function loadMedia(source: string, opts: LoadOptions): Promise<MediaContent> {
  if (!/^https?:\/\//i.test(source)) return readLocal(source, opts);
  if (!opts.fetch) {
    throw new MediaError(
      `${source}: downloading media needs the outbound fetch; the publisher's wiring passes it`,
      false,
    );
  }
  return downloadMedia(source, { ...opts, fetch: opts.fetch });
}

async function readLocal(path: string, opts: LoadOptions): Promise<MediaContent> {
  let file;
  try {
    file = await open(path, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : String(code);
    throw new MediaError(`${path}: ${why}; give an existing file or an http(s) URL`, false, { cause: error });
  }
  try {
    const { size } = await file.stat();
    const head = Buffer.alloc(Math.min(SNIFF_BYTES, size));
    await file.read(head, 0, head.length, 0);
    const format = knownFormat(head, path);
    const plan = opts.plan(format, path);
    if (size > plan.maxBytes) throw tooLarge(path, plan.maxBytes);
    if (plan.store === 'file') return { kind: 'file', format, size, path, temporary: false };
    return { kind: 'memory', format, size, bytes: await file.readFile() };
  } finally {
    await file.close();
  }
}

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
