import { readFile } from 'node:fs/promises';
import { MediaError } from './errors.ts';

export interface LoadOptions {
  fetch?: typeof fetch;
  /** Refuse sources larger than this. */
  maxBytes: number;
  timeoutMs?: number;
}

/**
 * Reads a media source: an http(s) URL or a local file path. A missing file or a 4xx answer is
 * the author's to fix; a network error or a 5xx may pass, so it is retryable.
 *
 * @example const bytes = await loadMedia('https://example.com/cat.png', { maxBytes: 8 << 20 });
 */
export async function loadMedia(source: string, opts: LoadOptions): Promise<Buffer> {
  const bytes = /^https?:\/\//i.test(source) ? await download(source, opts) : await readLocal(source);
  if (bytes.length > opts.maxBytes) {
    throw new MediaError(
      `${source}: the file is larger than ${Math.round(opts.maxBytes / 2 ** 20)} MB`,
      false,
    );
  }
  return bytes;
}

async function readLocal(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : String(code);
    throw new MediaError(`${path}: ${why}; give an existing file or an http(s) URL`, false, { cause: error });
  }
}

async function download(url: string, opts: LoadOptions): Promise<Buffer> {
  const fetcher = opts.fetch ?? globalThis.fetch;
  let response: Response;
  try {
    response = await fetcher(url, { signal: AbortSignal.timeout(opts.timeoutMs ?? 60_000) });
  } catch (error) {
    throw new MediaError(`${url}: download failed (${(error as Error).message})`, true, { cause: error });
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new MediaError(
      `${url}: download answered HTTP ${response.status}${response.status < 500 ? '; check the URL' : ''}`,
      response.status >= 500 || response.status === 429,
    );
  }
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > opts.maxBytes) {
    await response.body?.cancel();
    throw new MediaError(`${url}: the file is larger than ${Math.round(opts.maxBytes / 2 ** 20)} MB`, false);
  }
  return Buffer.from(await response.arrayBuffer());
}
