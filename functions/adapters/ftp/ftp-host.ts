import { Readable } from 'node:stream';
import { Client } from 'basic-ftp';
import { MediaError } from '../../media/errors.ts';
import type { PreparedMedia } from '../../media/prepare.ts';
import type { FtpHostSettings, HostedFile, MediaHost } from '../../media/media-host.ts';

/**
 * Media hosting through FTP (basic-ftp; FTPS when `secure`), published by a web server at
 * `httpServer`. Files are named by content hash, so uploading again is harmless and a file
 * already there with the right size is not sent twice; an upload goes to a `.part` name first and
 * is renamed, so the public URL never serves half a file. Before a URL is handed to Meta it is
 * fetched once here: a wrong HTTP_SERVER fails with a message, not as Meta's 9004 later.
 *
 * @example
 * const [hosted] = await new FtpMediaHost(settings).host([prepared]); // hosted.url === `${httpServer}/${prepared.name}`
 */
export class FtpMediaHost implements MediaHost {
  private readonly fetch: typeof fetch;
  private readonly timeoutMs: number;

  constructor(
    readonly settings: FtpHostSettings,
    /** `fetch`: the outbound fetch the publisher uses (HTTP_SERVER is checked by the same policy). */
    deps: { fetch?: typeof fetch; timeoutMs?: number } = {},
  ) {
    this.fetch = deps.fetch ?? globalThis.fetch;
    this.timeoutMs = deps.timeoutMs ?? 30_000;
  }

  async host(files: PreparedMedia[]): Promise<HostedFile[]> {
    await this.upload(files);
    const hosted = files.map((f) => ({ name: f.name, url: this.publicUrl(f.name) }));
    for (const [i, file] of hosted.entries()) await this.checkReachable(file.url, files[i]!.content.size);
    return hosted;
  }

  publicUrl(name: string): string {
    return `${this.settings.httpServer}/${encodeURIComponent(name)}`;
  }

  private async upload(files: PreparedMedia[]): Promise<void> {
    const { host, port, user, password, secure, directory, insecureTls } = this.settings;
    const client = new Client(this.timeoutMs);
    try {
      await client.access({
        host,
        port,
        user,
        password,
        secure,
        ...(secure && insecureTls ? { secureOptions: { rejectUnauthorized: false } } : {}),
      });
      await client.ensureDir(directory);
      for (const file of files) {
        const size = await client.size(file.name).catch(() => -1);
        if (size === file.content.size) continue;
        // A video is uploaded from its file (basic-ftp streams a path), never read whole.
        const { content } = file;
        await client.uploadFrom(
          content.kind === 'file' ? content.path : Readable.from(content.bytes),
          `${file.name}.part`,
        );
        await client.rename(`${file.name}.part`, file.name);
      }
    } catch (error) {
      if (error instanceof MediaError) throw error;
      if (secure && isCertificateError(error)) {
        throw new MediaError(
          `FTPS to ${host}:${port}: the server's certificate is not trusted (${(error as Error).message}); give the server a certificate from a trusted CA, or set FTP_INSECURE_TLS=true to skip the check (anyone on the network path could then read FTP_PASSWORD)`,
          true,
          { cause: error },
        );
      }
      throw new MediaError(
        `FTP upload to ${host}:${port}${directory} failed (${(error as Error).message}); check FTP_SERVER, FTP_PORT, FTP_USERNAME, FTP_PASSWORD and FTP_DIRECTORY`,
        true,
        { cause: error },
      );
    } finally {
      client.close();
    }
  }

  private async checkReachable(url: string, bytes: number): Promise<void> {
    const fail = (why: string, cause?: unknown) =>
      new MediaError(
        `${url}: the uploaded file is not reachable over HTTP (${why}); set HTTP_SERVER to the public URL of FTP_DIRECTORY`,
        true,
        { cause },
      );
    let response: Response;
    try {
      response = await this.fetch(url, { method: 'HEAD', signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (error) {
      throw fail((error as Error).message, error);
    }
    if (!response.ok) throw fail(`HTTP ${response.status}`);
    const length = response.headers.get('content-length');
    if (length !== null && Number(length) !== bytes) throw fail(`it serves ${length} bytes, not ${bytes}`);
  }
}

/** Node's TLS verification failures (self-signed, unknown CA, expired, wrong host name). */
export function isCertificateError(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? '';
  return /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ERR_TLS_CERT_ALTNAME/.test(code);
}
