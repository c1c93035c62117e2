import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { inspectVideo } from '#core/media/video.ts';
import { inspectVideoFile } from '#core/media/video-file.ts';
import { makeMp4 } from './support/fixtures.ts';

let dir: string;
const onDisk = async (name: string, bytes: Buffer) => {
  const path = join(dir, name);
  await writeFile(path, bytes);
  return path;
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'carrier-video-file-'));
});

describe('inspecting a video on disk', () => {
  it('reads what inspectVideo reads from memory', async () => {
    for (const [name, video] of [
      ['fast.mp4', makeMp4({ durationMs: 12_500, width: 720, height: 1280, mdatBytes: 2 ** 20 })],
      ['slow.mp4', makeMp4({ durationMs: 4_000, moovFirst: false })],
    ] as const) {
      expect(await inspectVideoFile(await onDisk(name, video), name)).toEqual(inspectVideo(video, name));
    }
  });

  it('says what is wrong with a file cut short or without an index', async () => {
    const whole = makeMp4({ moovFirst: false });
    await expect(
      inspectVideoFile(await onDisk('cut.mp4', whole.subarray(0, whole.length - 20)), 'cut.mp4'),
    ).rejects.toThrow('cut.mp4: the moov box is cut short');
    await expect(
      inspectVideoFile(await onDisk('none.mp4', whole.subarray(0, 24)), 'none.mp4'),
    ).rejects.toThrow('none.mp4: no moov box');
  });
});
