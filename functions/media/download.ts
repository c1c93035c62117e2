import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { OutboundRefusedError } from '../outbound/address-policy.ts';
import type { OutboundFetch } from '../ports/outbound.ts';
import { MediaError } from './errors.ts';
import { knownFormat, SNIFF_BYTES, tooLarge, type LoadOptions, type MediaContent } from './media-content.ts';

/**
 * Downloads an http(s) media URL through the pinned fetch (redirects followed and each hop
 * checked there). The first bytes decide the format and so the cap; the rest is counted as it
 * arrives (a missing or false content-length cannot make it read more) and goes to memory or a
 * temporary file, as the plan says.
 */
export async function downloadMedia(
  url: string,
  opts: LoadOptions & { fetch: OutboundFetch },
): Promise<MediaContent> {
  let response: Response;
  try {
    response = await opts.fetch(url, { signal: AbortSignal.timeout(opts.timeoutMs ?? 60_000) });
  } catch (error) {
    throw failure(url, error);
  }
  const status = response.status;
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    throw new MediaError(
      `${url}: download answered HTTP ${status}${status < 500 ? '; check the URL' : ''}`,
      status >= 500 || status === 429,
    );
  }
  const chunks = Readable.fromWeb(response.body as NodeReadableStream<Uint8Array>);
  try {
    return await store(url, chunks, Number(response.headers.get('content-length') ?? 0), opts);
  } catch (error) {
    chunks.destroy();
    throw failure(url, error);
  }
}

async function store(
  url: string,
  body: Readable,
  declared: number,
  opts: LoadOptions,
): Promise<MediaContent> {
  const iterator = body[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const head: Buffer[] = [];
  let headBytes = 0;
  let ended = false;
  while (headBytes < SNIFF_BYTES && !ended) {
    const next = await iterator.next();
    if (next.done) {
      ended = true;
    } else {
      head.push(next.value);
      headBytes += next.value.length;
    }
  }
  const first = Buffer.concat(head);
  const format = knownFormat(first, url);
  const plan = opts.plan(format, url);
  if (declared > plan.maxBytes) throw tooLarge(url, plan.maxBytes);
  let size = 0;
  const take = (chunk: Buffer): Buffer => {
    size += chunk.length;
    if (size > plan.maxBytes) throw tooLarge(url, plan.maxBytes);
    return chunk;
  };
  async function* capped(): AsyncGenerator<Buffer> {
    yield take(first);
    while (!ended) {
      const next = await iterator.next();
      if (next.done) return;
      yield take(next.value);
    }
  }
  if (plan.store === 'memory') {
    const parts: Buffer[] = [];
    for await (const chunk of capped()) parts.push(chunk);
    return { kind: 'memory', format, size, bytes: Buffer.concat(parts, size) };
  }
  const dir = await mkdtemp(join(opts.tmpDir ?? tmpdir(), 'carrier-media-'));
  const path = join(dir, `download.${format}`);
  try {
    await pipeline(Readable.from(capped()), createWriteStream(path));
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return { kind: 'file', format, size, path, temporary: true };
}

function failure(url: string, error: unknown): MediaError {
  if (error instanceof MediaError) return error;
  if (error instanceof OutboundRefusedError) {
    return new MediaError(
      `${url}: refusing to download media: ${error.message}; use a public http(s) URL or a local file path`,
      false,
      { cause: error },
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  return new MediaError(`${url}: download failed (${message})`, true, { cause: error });
}
