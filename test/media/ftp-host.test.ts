import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MediaError } from '#core/media/errors.ts';
import { FtpMediaHost } from '#core/adapters/ftp/ftp-host.ts';
import { type FtpHostSettings } from '#core/media/media-host.ts';
import type { PreparedMedia } from '#core/media/prepare.ts';
import { startMediaHost } from '#test/fakes/ftp.ts';

type Host = Awaited<ReturnType<typeof startMediaHost>>;
let plain: Host;
let tls: Host;

const settingsOf = (h: Host, over: Partial<FtpHostSettings> = {}): FtpHostSettings => ({
  host: '127.0.0.1',
  port: h.ftp.port,
  user: h.ftp.user,
  password: h.ftp.password,
  directory: '/',
  secure: h.env.FTP_SECURE === 'true',
  insecureTls: h.env.FTP_INSECURE_TLS === 'true',
  httpServer: h.http.url,
  ...over,
});

const media = (text: string, name = `${text}.jpg`): PreparedMedia => ({
  source: `/tmp/${text}`,
  content: { kind: 'memory', format: 'jpeg', size: text.length * 100, bytes: Buffer.from(text.repeat(100)) },
  name,
  type: 'image',
  contentType: 'image/jpeg',
});

beforeAll(async () => {
  [plain, tls] = await Promise.all([startMediaHost(), startMediaHost({ tls: true })]);
});
afterAll(async () => {
  await Promise.all([plain?.close(), tls?.close()]);
});

describe('FTP media host', () => {
  it('uploads files and returns their public URLs, checked over HTTP', async () => {
    const host = new FtpMediaHost(settingsOf(plain));
    const files = [media('one'), media('two')];
    const hosted = await host.host(files);
    expect(hosted).toEqual([
      { name: 'one.jpg', url: `${plain.http.url}/one.jpg` },
      { name: 'two.jpg', url: `${plain.http.url}/two.jpg` },
    ]);
    expect((await plain.readHosted('one.jpg')).equals(Buffer.from('one'.repeat(100)))).toBe(true);
    expect(plain.http.requests.filter((r) => r.path === '/one.jpg')).toHaveLength(1);
  });

  it('does not upload a file that is already there', async () => {
    const host = new FtpMediaHost(settingsOf(plain));
    await host.host([media('same')]);
    const before = plain.ftp.uploads.length;
    await host.host([media('same')]);
    expect(plain.ftp.uploads.length).toBe(before);
  });

  it('uploads over FTPS when FTP_SECURE is set', async () => {
    const [hosted] = await new FtpMediaHost(settingsOf(tls)).host([media('secure')]);
    expect(hosted?.url).toBe(`${tls.http.url}/secure.jpg`);
    expect((await tls.readHosted('secure.jpg')).length).toBe(600);
  });

  it('refuses an FTPS server whose certificate is not trusted, unless FTP_INSECURE_TLS is set', async () => {
    const host = new FtpMediaHost(settingsOf(tls, { insecureTls: false }));
    const error = await host.host([media('untrusted')]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MediaError);
    expect((error as Error).message).toMatch(
      /^FTPS to 127\.0\.0\.1:\d+: the server's certificate is not trusted \(self[- ]signed certificate\); give the server a certificate from a trusted CA, or set FTP_INSECURE_TLS=true to skip the check/,
    );
    expect(tls.ftp.uploads.some((name) => name.includes('untrusted'))).toBe(false);
  });

  it('creates FTP_DIRECTORY and expects HTTP_SERVER to serve it', async () => {
    const host = new FtpMediaHost(
      settingsOf(plain, { directory: '/media/ig', httpServer: `${plain.http.url}/media/ig` }),
    );
    const [hosted] = await host.host([media('nested')]);
    expect(hosted?.url).toBe(`${plain.http.url}/media/ig/nested.jpg`);
  });

  it('says to fix HTTP_SERVER when it does not serve the uploaded file', async () => {
    const host = new FtpMediaHost(settingsOf(plain, { httpServer: `${plain.http.url}/wrong` }));
    const error = await host.host([media('lost')]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MediaError);
    expect((error as Error).message).toMatch(
      /\/wrong\/lost\.jpg: the uploaded file is not reachable over HTTP \(HTTP 404\); set HTTP_SERVER to the public URL of FTP_DIRECTORY/,
    );
  });

  it('names the FTP settings to check when the login fails', async () => {
    const host = new FtpMediaHost(settingsOf(plain, { password: 'wrong' }));
    const error = await host.host([media('denied')]).catch((e: unknown) => e);
    expect((error as MediaError).retryable).toBe(true);
    expect((error as Error).message).toMatch(
      /FTP upload to 127\.0\.0\.1:\d+\/ failed .*check FTP_SERVER, FTP_PORT, FTP_USERNAME/,
    );
  });
});
