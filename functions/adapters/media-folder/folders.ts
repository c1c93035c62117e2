import { readdir } from 'node:fs/promises';
import { posix, resolve } from 'node:path';
import { Client } from 'basic-ftp';
import { MediaError } from '../../media/errors.ts';
import type { FtpHostSettings } from '../../media/media-host.ts';

/**
 * A plan's media folder on this machine: the files in it, as absolute paths (a post's local
 * media), relative folders taken from the working directory.
 *
 * @example
 * await localFolder('media/juniper'); // ['/srv/carrier/media/juniper/01.jpg', …]
 */
export async function localFolder(folder: string): Promise<string[]> {
  const dir = resolve(folder);
  const entries = await readdir(dir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    throw new MediaError(
      `the plan's media folder ${dir} cannot be read (${error.code ?? error.message}); create it or fix instagram.plan.media`,
      false,
    );
  });
  return entries.filter((e) => e.isFile()).map((e) => resolve(dir, e.name));
}

/**
 * A plan's media folder on the FTP host, under FTP_DIRECTORY: its files as public URLs under
 * HTTP_SERVER, which is how a deployed post takes them. `..` cannot climb out of the directory.
 *
 * @example
 * const list = ftpFolder(settings.ftp); await list('juniper'); // ['https://media.example/juniper/01.jpg', …]
 */
export function ftpFolder(settings: FtpHostSettings, timeoutMs = 30_000) {
  return async (folder: string): Promise<string[]> => {
    const segments = folder.split('/').filter((s) => s && s !== '.');
    if (segments.includes('..'))
      throw new MediaError(`the plan's media folder "${folder}" may not contain ".."`, false);
    const client = new Client(timeoutMs);
    try {
      await client.access({
        host: settings.host,
        port: settings.port,
        user: settings.user,
        password: settings.password,
        secure: settings.secure,
        ...(settings.secure && settings.insecureTls ? { secureOptions: { rejectUnauthorized: false } } : {}),
      });
      const files = await client.list(posix.join(settings.directory, ...segments));
      const base = [settings.httpServer, ...segments.map(encodeURIComponent)].join('/');
      return files.filter((f) => f.isFile).map((f) => `${base}/${encodeURIComponent(f.name)}`);
    } catch (error) {
      if (error instanceof MediaError) throw error;
      throw new MediaError(
        `listing the plan's FTP folder "${folder}" failed (${(error as Error).message})`,
        true,
        { cause: error },
      );
    } finally {
      client.close();
    }
  };
}
