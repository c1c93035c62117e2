import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pinnedFetch } from '#core/adapters/http/pinned-fetch.ts';
import { loadMedia } from '#core/media/load.ts';
import type { LoadOptions } from '#core/media/media-content.ts';
import { disposeContent } from '#core/media/media-content.ts';
import { makeMp4 } from './support/fixtures.ts';

const MB = 2 ** 20;
const JPEG_HEAD = Buffer.from([0xff, 0xd8, 0xff, 0xe0]);
const clip = makeMp4({ durationMs: 5_000, mdatBytes: 3 * MB });
let server: Server;
let base: string;
let tmp: string;
/** Bytes the endless route managed to write before the client hung up. */
let endlessWritten = 0;
let endlessClosed: Promise<void>;

/** The local stack's fetch: loopback allowed, as the fixture server is on 127.0.0.1. */
const local = (plan: LoadOptions['plan']): LoadOptions => ({
  plan,
  fetch: pinnedFetch({ reach: 'loopback' }),
  tmpDir: tmp,
});
const images = (maxBytes: number) => local(() => ({ maxBytes, store: 'memory' }));
const videos = (maxBytes: number) => local(() => ({ maxBytes, store: 'file' }));

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'carrier-load-'));
  let closed: () => void = () => {};
  endlessClosed = new Promise((resolve) => (closed = resolve));
  server = createServer((req, res) => {
    if (req.url === '/small.jpg') return res.end(Buffer.concat([JPEG_HEAD, Buffer.alloc(996, 1)]));
    if (req.url === '/clip.mp4') return res.end(clip);
    if (req.url === '/notes.txt') return res.end('not media at all, just some words');
    if (req.url === '/endless') {
      // Chunked, no content-length: only counting the body can stop it.
      res.writeHead(200, { 'content-type': 'image/jpeg' });
      res.write(JPEG_HEAD);
      const chunk = Buffer.alloc(64 * 1024, 7);
      const pump = () => {
        while (!res.destroyed && endlessWritten < 200 * MB) {
          endlessWritten += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      res.on('close', closed);
      return pump();
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('loading media from a URL', () => {
  it('stops a download without a content-length as soon as it passes the cap', async () => {
    await expect(loadMedia(`${base}/endless`, images(MB))).rejects.toThrow(
      `${base}/endless: the file is larger than 1 MB`,
    );
    await endlessClosed;
    expect(endlessWritten).toBeLessThan(100 * MB);
  });

  it('keeps an image in memory', async () => {
    const content = await loadMedia(`${base}/small.jpg`, images(MB));
    expect(content).toMatchObject({ kind: 'memory', format: 'jpeg', size: 1000 });
  });

  it('streams a video to a temporary file, removed once disposed', async () => {
    const content = await loadMedia(`${base}/clip.mp4`, videos(10 * MB));
    if (content.kind !== 'file') throw new Error('expected the video in a file');
    expect(content).toMatchObject({ format: 'mp4', size: clip.length, temporary: true });
    expect(content.path.startsWith(tmp)).toBe(true);
    expect((await readFile(content.path)).equals(clip)).toBe(true);
    await disposeContent(content);
    expect(existsSync(content.path)).toBe(false);
  });

  it('caps a video by its own limit and leaves no temporary file behind', async () => {
    const before = await readdir(tmp);
    await expect(loadMedia(`${base}/clip.mp4`, videos(MB))).rejects.toThrow(
      `${base}/clip.mp4: the file is larger than 1 MB`,
    );
    expect(await readdir(tmp)).toEqual(before);
  });

  it('refuses what is neither image nor video after its first bytes', async () => {
    await expect(loadMedia(`${base}/notes.txt`, images(MB))).rejects.toThrow(
      `${base}/notes.txt: not an image or video Instagram accepts`,
    );
  });

  it('says a 404 is the author to fix, not retryable', async () => {
    await expect(loadMedia(`${base}/missing.jpg`, images(MB))).rejects.toMatchObject({
      message: `${base}/missing.jpg: download answered HTTP 404; check the URL`,
      retryable: false,
    });
  });

  it('refuses a loopback URL when deployed, saying why and what to give instead', async () => {
    await expect(
      loadMedia(`${base}/small.jpg`, { ...images(MB), fetch: pinnedFetch({ reach: 'public' }) }),
    ).rejects.toThrow(
      `${base}/small.jpg: refusing to download media: 127.0.0.1 is a loopback address (127.0.0.0/8); use a public http(s) URL or a local file path`,
    );
  });
});
