import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { makeImage } from '#test/media/support/fixtures.ts';
import { register as registerPosts } from '../../bin/commands/posts.ts';
import { runCommand, useMigratedDataDir } from './in-process.ts';

useMigratedDataDir('carrier-posts-add-');
let photo: string;

/** `carrier posts ...` in this process, with the exit code a process would give. */
async function posts(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const { stdout, stderr, exitCode } = await runCommand('posts', registerPosts, 'posts', ...args);
  return { code: exitCode ?? 0, stdout, stderr };
}

beforeAll(async () => {
  photo = join(await mkdtemp(join(tmpdir(), 'carrier-posts-add-')), 'photo.png');
  await writeFile(photo, await makeImage(600, 600, 'png'));
});
afterEach(() => vi.useRealTimers());

describe('carrier posts add --at', () => {
  it('refuses a time in the past in one line naming --at and the time now, queueing nothing', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2030-01-01T12:00:00Z'));
    expect(await posts('add', 'ada', '--media', photo, '--at', '2020-01-01T00:00:00Z')).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'carrier: --at 2020-01-01T00:00:00Z is in the past (it is 2030-01-01T12:00:00.000Z now); give a later time, or leave --at out to publish now\n',
    });
    vi.useRealTimers();
    expect((await posts('list', '--json')).stdout).toBe('[]\n');
  });

  it('takes a time up to a minute ago as now, for a clock a little behind', async () => {
    const at = new Date(Date.now() - 30_000).toISOString();
    const result = await posts('add', 'ada', '--media', photo, '--at', at);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(`queued image for ada at ${at}\n`);
  });
});
