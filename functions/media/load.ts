import { readFile } from 'node:fs/promises';
import { get as httpGet, type IncomingMessage } from 'node:http';
import { get as httpsGet } from 'node:https';
import { isIP } from 'node:net';
import { MediaError } from './errors.ts';
import { isPrivateAddress, PrivateAddressError, publicOnlyLookup } from './public-address.ts';

export interface LoadOptions {
  /** Refuse sources larger than this; a download stops as soon as it passes it. */
  maxBytes: number;
  timeoutMs?: number;
  /**
   * Let URLs reach loopback, private and link-local addresses. Off by default: a post's media
   * URL is user input, and the publisher runs next to the cloud metadata service and internal
   * hosts. The local stack turns it on (its media and fakes are on 127.0.0.1).
   */
  allowPrivateAddresses?: boolean;
}

const MAX_REDIRECTS = 5;

/**
 * Reads a media source: an http(s) URL or a local file path. A missing file or a 4xx answer is
 * the author's to fix; a network error or a 5xx may pass, so it is retryable. Downloads are
 * streamed and stopped past `maxBytes`, and refuse non-public addresses unless allowed.
 *
 * @example const bytes = await loadMedia('https://example.com/cat.png', { maxBytes: 8 << 20 });
 */
export async function loadMedia(source: string, opts: LoadOptions): Promise<Buffer> {
  const bytes = /^https?:\/\//i.test(source) ? await download(source, opts) : await readLocal(source);
  if (bytes.length > opts.maxBytes) throw tooLarge(source, opts.maxBytes);
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
  const signal = AbortSignal.timeout(opts.timeoutMs ?? 60_000);
  let target = new URL(url);
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const response = await request(url, target, opts, signal);
    const status = response.statusCode ?? 0;
    const location = response.headers.location;
    if (status >= 300 && status < 400 && location) {
      response.resume();
      // Each hop goes through the same address check: a public URL may redirect inward.
      target = new URL(location, target);
      if (!/^https?:$/.test(target.protocol)) {
        throw new MediaError(`${url}: redirects to ${target.protocol} URL; give an http(s) URL`, false);
      }
      continue;
    }
    if (status < 200 || status >= 300) {
      response.resume();
      throw new MediaError(
        `${url}: download answered HTTP ${status}${status < 500 ? '; check the URL' : ''}`,
        status >= 500 || status === 429,
      );
    }
    if (Number(response.headers['content-length'] ?? 0) > opts.maxBytes) {
      response.destroy();
      throw tooLarge(url, opts.maxBytes);
    }
    return readCapped(response, url, opts.maxBytes);
  }
  throw new MediaError(`${url}: more than ${MAX_REDIRECTS} redirects; give the file's final URL`, false);
}

function request(url: string, target: URL, opts: LoadOptions, signal: AbortSignal): Promise<IncomingMessage> {
  // A literal IP never goes through DNS, so the lookup below would not see it.
  const literal = target.hostname.replace(/^\[|\]$/g, '');
  if (!opts.allowPrivateAddresses && isIP(literal) && isPrivateAddress(literal)) {
    return Promise.reject(refused(url, new PrivateAddressError(literal, literal)));
  }
  const get = target.protocol === 'https:' ? httpsGet : httpGet;
  return new Promise((resolve, reject) => {
    const req = get(
      target,
      { signal, ...(opts.allowPrivateAddresses ? {} : { lookup: publicOnlyLookup }) },
      resolve,
    );
    req.on('error', (error) =>
      reject(
        error instanceof PrivateAddressError
          ? refused(url, error)
          : new MediaError(`${url}: download failed (${error.message})`, true, { cause: error }),
      ),
    );
  });
}

/** Reads the body, stopping the download once it passes `maxBytes` (a missing or false content-length cannot make it read more). */
async function readCapped(response: IncomingMessage, url: string, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of response as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > maxBytes) {
        response.destroy();
        throw tooLarge(url, maxBytes);
      }
      chunks.push(chunk);
    }
  } catch (error) {
    if (error instanceof MediaError) throw error;
    throw new MediaError(`${url}: download failed (${(error as Error).message})`, true, { cause: error });
  }
  return Buffer.concat(chunks, total);
}

function tooLarge(source: string, maxBytes: number): MediaError {
  return new MediaError(`${source}: the file is larger than ${Math.round(maxBytes / 2 ** 20)} MB`, false);
}

function refused(url: string, error: PrivateAddressError): MediaError {
  return new MediaError(
    `${url}: refusing to download media: ${error.message}; use a public http(s) URL or a local file path`,
    false,
    { cause: error },
  );
}
