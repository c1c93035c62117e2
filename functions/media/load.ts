import { open } from 'node:fs/promises';
import { downloadMedia } from './download.ts';
import { MediaError } from './errors.ts';
import { knownFormat, SNIFF_BYTES, tooLarge, type LoadOptions, type MediaContent } from './media-content.ts';

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
