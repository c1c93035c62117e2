import { spawnSync } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PgliteStore } from '#core/adapters/store/pglite.ts';
import { readLockHolder } from '#core/adapters/store/pglite-lock.ts';
import { seedMigratedDataDir } from '#test/support/pglite.ts';

async function migratedFolder(): Promise<string> {
  const dataDir = await mkdtemp(join(tmpdir(), 'carrier-lock-'));
  await seedMigratedDataDir(dataDir);
  return join(dataDir, 'pglite');
}

describe('one process per PGlite data folder', () => {
  it('refuses a second opener, naming the holder and the fix, and lets it in once closed', async () => {
    const folder = await migratedFolder();
    const first = await PgliteStore.open(folder);
    await first.lock!.announce({ url: 'http://127.0.0.1:3000' });
    await expect(PgliteStore.open(folder)).rejects.toMatchObject({
      code: 'store_in_use',
      message: `the embedded store ${folder} is in use by the local stack at http://127.0.0.1:3000 (pid ${process.pid}): PGlite allows one process at a time; stop that process, or set DATABASE_URL to a Postgres both can share`,
    });
    await first.close();
    expect(await readLockHolder(folder)).toBeUndefined();
    const second = await PgliteStore.open(folder);
    expect(await second.query('select 1 as one')).toEqual([{ one: 1 }]);
    await second.close();
  }, 60_000);

  it('takes over the lock of a process that is gone', async () => {
    const folder = await migratedFolder();
    const gone = spawnSync(process.execPath, ['-e', '']).pid!;
    await writeFile(`${folder}.lock`, JSON.stringify({ pid: gone, url: 'http://127.0.0.1:9' }));
    expect(await readLockHolder(folder)).toBeUndefined();
    const store = await PgliteStore.open(folder);
    expect(await readLockHolder(folder)).toEqual({ pid: process.pid });
    await store.close();
  }, 60_000);

  it('reads an unreadable lock file as no holder', async () => {
    const folder = await migratedFolder();
    await writeFile(`${folder}.lock`, 'not json');
    expect(await readLockHolder(folder)).toBeUndefined();
  });
});
