import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ftpFolder, localFolder } from '#core/adapters/media-folder/folders.ts';
import { parseInstagramSettings } from '#core/instagram/settings.ts';
import { startMediaHost } from '#test/fakes/ftp.ts';

let media: Awaited<ReturnType<typeof startMediaHost>>;
beforeAll(async () => {
  media = await startMediaHost();
  await mkdir(join(media.ftp.root, 'juniper'));
  for (const name of ['01.jpg', 'two words.jpg']) await writeFile(join(media.ftp.root, 'juniper', name), 'x');
  await mkdir(join(media.ftp.root, 'juniper', 'drafts'));
});
afterAll(() => media?.close());

describe("a content plan's media folder", () => {
  it('lists the FTP directory as public URLs under HTTP_SERVER, files only', async () => {
    const list = ftpFolder(parseInstagramSettings(media.env).ftp!);
    expect((await list('juniper')).sort()).toEqual([
      `${media.http.url}/juniper/01.jpg`,
      `${media.http.url}/juniper/two%20words.jpg`,
    ]);
    await expect(list('../etc')).rejects.toThrow('may not contain ".."');
  });

  it('lists a local folder as absolute paths, and names the folder when it is missing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'carrier-plan-'));
    await writeFile(join(dir, 'a.jpg'), 'x');
    expect(await localFolder(dir)).toEqual([join(dir, 'a.jpg')]);
    await expect(localFolder(join(dir, 'missing'))).rejects.toThrow(
      /media folder .*missing cannot be read \(ENOENT\)/,
    );
  });
});
