import { open, readFile, rm, writeFile } from 'node:fs/promises';
import { StoreError } from '../../ports/sql-errors.ts';

/** Who holds a data folder: its process, and where a local stack holding it listens. */
export interface LockHolder {
  pid: number;
  /** Set by the local stack: its URL and the socket `carrier chat` talks to it through. */
  url?: string;
  socket?: string;
}

export interface DataDirLock {
  /** The data folder held. */
  folder: string;
  /** Adds what the holder serves, for commands that find the folder taken. */
  announce(extra: Omit<LockHolder, 'pid'>): Promise<void>;
  release(): Promise<void>;
}

/**
 * Takes the folder for this process, or says who has it. PGlite has no lock of its own: two
 * processes on one data folder each replay their own view of the WAL and silently lose the
 * other's writes (measured: 4 inserts from two processes left 3 rows). A holder that is gone
 * (its pid is not running) leaves a stale lock, which is taken over. A pid check is exact on
 * one machine, the only place PGlite runs; a lock library judging staleness by an mtime that
 * a timer refreshes would misjudge a process paused in a debugger or a sleeping laptop.
 */
export async function lockDataDir(dataDir: string): Promise<DataDirLock> {
  const path = lockPath(dataDir);
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      const file = await open(path, 'wx', 0o600);
      await file.writeFile(JSON.stringify({ pid: process.pid }));
      await file.close();
      return held(dataDir, path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = await readLockHolder(dataDir);
      if (holder) throw inUse(dataDir, holder);
      await rm(path, { force: true });
    }
  }
  throw new StoreError(
    `could not lock ${dataDir}: remove ${path} if no carrier process is running`,
    'store_in_use',
  );
}

/** The live process holding `dataDir`, if any (a stale lock reads as none). */
export async function readLockHolder(dataDir: string): Promise<LockHolder | undefined> {
  let holder: LockHolder;
  try {
    holder = JSON.parse(await readFile(lockPath(dataDir), 'utf8')) as LockHolder;
  } catch {
    return undefined;
  }
  return Number.isInteger(holder.pid) && running(holder.pid) ? holder : undefined;
}

function lockPath(dataDir: string): string {
  return `${dataDir.replace(/\/+$/, '')}.lock`;
}

function held(folder: string, path: string): DataDirLock {
  return {
    folder,
    announce: (extra) => writeFile(path, JSON.stringify({ pid: process.pid, ...extra }), { mode: 0o600 }),
    release: () => rm(path, { force: true }),
  };
}

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function inUse(dataDir: string, holder: LockHolder): StoreError {
  const who = holder.url ? `the local stack at ${holder.url} (pid ${holder.pid})` : `process ${holder.pid}`;
  return new StoreError(
    `the embedded store ${dataDir} is in use by ${who}: PGlite allows one process at a time; stop that process, or set DATABASE_URL to a Postgres both can share`,
    'store_in_use',
  );
}
