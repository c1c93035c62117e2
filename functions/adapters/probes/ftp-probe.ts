import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { ProbeError } from '../../doctor/check.ts';
import type { FtpFacts } from '../../doctor/probes.ts';
import { Client, FTPError } from 'basic-ftp';
import { FtpMediaHost, isCertificateError } from '../ftp/ftp-host.ts';
import type { FtpHostSettings } from '../../media/media-host.ts';
import { networkReason } from './reason.ts';

/** Meta downloads media with this user agent; a host that blocks it fails here, not at publish time. */
const META_CRAWLER = 'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)';

/**
 * Logs in to the FTP server, uploads a small file to FTP_DIRECTORY, reads it back from
 * HTTP_SERVER as Meta's crawler would, and removes it: the path every post's media takes.
 *
 * @example
 * const { notServed } = await probeFtp(instagram.ftp); // undefined when HTTP_SERVER serves the upload
 */
export async function probeFtp(settings: FtpHostSettings, timeoutMs = 10_000): Promise<FtpFacts> {
  const client = new Client(timeoutMs);
  const name = `carrier-doctor-${randomBytes(6).toString('hex')}.txt`;
  const body = `carrier doctor check ${new Date().toISOString()}\n`;
  try {
    try {
      await client.access({
        host: settings.host,
        port: settings.port,
        user: settings.user,
        password: settings.password,
        secure: settings.secure,
        ...(settings.secure && settings.insecureTls ? { secureOptions: { rejectUnauthorized: false } } : {}),
      });
    } catch (error) {
      if (error instanceof FTPError) throw new ProbeError(error.message, 'rejected', { cause: error });
      if (isCertificateError(error)) {
        throw new ProbeError(`the server's certificate is not trusted (${networkReason(error)})`, 'invalid', {
          cause: error,
        });
      }
      throw new ProbeError(networkReason(error), 'unreachable', { cause: error });
    }
    try {
      await client.ensureDir(settings.directory);
      await client.uploadFrom(Readable.from([body]), name);
    } catch (error) {
      throw new ProbeError(networkReason(error), 'missing', { cause: error });
    }
    const publicUrl = new FtpMediaHost(settings).publicUrl(name);
    const notServed = await readBack(publicUrl, body, timeoutMs);
    await client.remove(name).catch(() => undefined);
    return { publicUrl, ...(notServed ? { notServed } : {}) };
  } finally {
    client.close();
  }
}

async function readBack(url: string, expected: string, timeoutMs: number): Promise<string | undefined> {
  try {
    const response = await fetch(url, {
      headers: { 'user-agent': META_CRAWLER },
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!response.ok) return `HTTP ${response.status}`;
    return (await response.text()) === expected ? undefined : 'it serves other content at that name';
  } catch (error) {
    return networkReason(error);
  }
}
