import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error: plain JavaScript without declarations (the CLI's launcher)
import { pruneBuilds } from '../../bin/compiled.mjs';

let cache: string | undefined;
afterEach(() => cache && rm(cache, { recursive: true, force: true }));

describe("the CLI's build cache", () => {
  it('removes older builds but those a live process still runs from', async () => {
    cache = await mkdtemp(join(tmpdir(), 'carrier-builds-'));
    const gone = spawnSync(process.execPath, ['-e', '0']).pid; // has exited: its marker is stale
    const builds = {
      current: [],
      running: [`.in-use-${process.pid}`],
      stale: [`.in-use-${gone}`],
      unmarked: [],
    };
    for (const [build, markers] of Object.entries(builds)) {
      await mkdir(join(cache, build));
      await writeFile(join(cache, build, 'chat.mjs'), '');
      for (const marker of markers) await writeFile(join(cache, build, marker), '');
    }
    await mkdir(join(cache, 'other.123.tmp')); // a build being written by another process

    await (pruneBuilds as (cache: string, keep: string) => Promise<void>)(cache, join(cache, 'current'));

    expect((await readdir(cache)).sort()).toEqual(['current', 'other.123.tmp', 'running']);
  });
});
