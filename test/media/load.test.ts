import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMedia } from '#core/media/load.ts';
import { isPrivateAddress } from '#core/media/public-address.ts';

const MB = 2 ** 20;
let server: Server;
let base: string;
/** Bytes the endless route managed to write before the client hung up. */
let endlessWritten = 0;
let endlessClosed: Promise<void>;

beforeAll(async () => {
  let closed: () => void = () => {};
  endlessClosed = new Promise((resolve) => (closed = resolve));
  server = createServer((req, res) => {
    if (req.url === '/small') return res.end(Buffer.alloc(1000, 1));
    if (req.url === '/endless') {
      // Chunked, no content-length: only counting the body can stop it.
      res.writeHead(200, { 'content-type': 'image/jpeg' });
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
  it('stops a download without a content-length as soon as it passes the limit', async () => {
    await expect(loadMedia(`${base}/endless`, { maxBytes: MB, allowPrivateAddresses: true })).rejects.toThrow(
      `${base}/endless: the file is larger than 1 MB`,
    );
    await endlessClosed;
    expect(endlessWritten).toBeLessThan(100 * MB);
  });

  it('reads a small file when private addresses are allowed (the local stack)', async () => {
    const bytes = await loadMedia(`${base}/small`, { maxBytes: MB, allowPrivateAddresses: true });
    expect(bytes.length).toBe(1000);
  });

  it('refuses a loopback IP by default, saying why and what to give instead', async () => {
    await expect(loadMedia(`${base}/small`, { maxBytes: MB })).rejects.toThrow(
      `${base}/small: refusing to download media: 127.0.0.1 is a private, loopback or link-local address; use a public http(s) URL or a local file path`,
    );
  });

  it('refuses a host name that resolves to loopback, checked on the address it connects to', async () => {
    const url = `${base.replace('127.0.0.1', 'localhost')}/small`;
    await expect(loadMedia(url, { maxBytes: MB })).rejects.toThrow(
      /refusing to download media: localhost resolves to (127\.0\.0\.1|::1), a private, loopback or link-local address/,
    );
  });
});

describe('which addresses are private', () => {
  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    '::',
    'fe80::1',
    'fd00::1',
    '::ffff:127.0.0.1',
    '::ffff:169.254.169.254',
  ])('%s is private', (address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });

  it.each(['8.8.8.8', '157.240.1.35', '2a03:2880:f10d:83:face:b00c:0:25de', '172.32.0.1'])(
    '%s is public',
    (address) => {
      expect(isPrivateAddress(address)).toBe(false);
    },
  );
});
