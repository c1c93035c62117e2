import { createHash } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { prepareMedia, type PreparedMedia } from '#core/media/prepare.ts';
import { makeImage, makeMp4 } from './support/fixtures.ts';

let dir: string;
const file = async (name: string, bytes: Buffer) => {
  const path = join(dir, name);
  await writeFile(path, bytes);
  return path;
};

/** The prepared image's bytes (images are kept in memory). */
const memory = (prepared: PreparedMedia): Buffer => {
  if (prepared.content.kind !== 'memory') throw new Error(`${prepared.source} was not kept in memory`);
  return prepared.content.bytes;
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'carrier-media-'));
});

describe('preparing media for Instagram', () => {
  it('converts a PNG to a JPEG named by its content hash', async () => {
    const prepared = await prepareMedia(
      await file('cat photo é.png', await makeImage(800, 800, 'png')),
      'image',
    );
    expect(prepared.type).toBe('image');
    expect(prepared.name).toMatch(/^[0-9a-f]{64}\.jpg$/);
    expect((await sharp(memory(prepared)).metadata()).format).toBe('jpeg');
  });

  it('converts a WebP to a JPEG', async () => {
    const prepared = await prepareMedia(await file('a.webp', await makeImage(600, 600, 'webp')), 'image');
    expect((await sharp(memory(prepared)).metadata()).format).toBe('jpeg');
  });

  it('keeps a JPEG that already fits, byte for byte', async () => {
    const jpeg = await makeImage(1080, 1350, 'jpeg');
    const prepared = await prepareMedia(await file('ok.jpg', jpeg), 'image');
    expect(memory(prepared).equals(jpeg)).toBe(true);
  });

  it('scales an image wider than 1440 px down', async () => {
    const prepared = await prepareMedia(await file('wide.jpg', await makeImage(2000, 2000, 'jpeg')), 'image');
    expect([prepared.width, prepared.height]).toEqual([1440, 1440]);
  });

  it('turns a rotated phone photo upright', async () => {
    const photo = await makeImage(1000, 800, 'jpeg', { orientation: 6 });
    const prepared = await prepareMedia(await file('phone.jpg', photo), 'image');
    expect([prepared.width, prepared.height]).toEqual([800, 1000]);
    expect((await sharp(memory(prepared)).metadata()).orientation ?? 1).toBe(1);
  });

  it('rejects a feed image taller than 4:5 and says how to crop it', async () => {
    const path = await file('tall.png', await makeImage(800, 1600, 'png'));
    await expect(prepareMedia(path, 'image')).rejects.toThrow(
      /tall\.png: the image is 800x1600 \(aspect 0\.50:1\); feed images must be between 4:5 \(0\.80\) and 1\.91:1: crop it to at most 1000 px high \(4:5\), or post it as a story/,
    );
  });

  it('accepts the same tall image as a story', async () => {
    const prepared = await prepareMedia(await file('story.png', await makeImage(540, 960, 'png')), 'story');
    expect(prepared.type).toBe('image');
  });

  it('rejects a panorama wider than 1.91:1', async () => {
    await expect(
      prepareMedia(await file('pano.png', await makeImage(2000, 600, 'png')), 'carousel'),
    ).rejects.toThrow(/crop it to at most 1146 px wide \(1\.91:1\)/);
  });

  it('rejects an image under 320 px wide', async () => {
    await expect(
      prepareMedia(await file('tiny.png', await makeImage(200, 200, 'png')), 'image'),
    ).rejects.toThrow(/200 px wide; Instagram needs at least 320 px/);
  });

  it('checks a reel as MP4 within the limits and uploads the local file where it is', async () => {
    const mp4 = makeMp4({ durationMs: 8_000 });
    const path = await file('clip.mp4', mp4);
    const prepared = await prepareMedia(path, 'reel');
    expect(prepared).toMatchObject({ type: 'video', contentType: 'video/mp4', durationMs: 8_000 });
    expect(prepared.name).toBe(`${createHash('sha256').update(mp4).digest('hex')}.mp4`);
    expect(prepared.content).toEqual({
      kind: 'file',
      format: 'mp4',
      size: mp4.length,
      path,
      temporary: false,
    });
  });

  it('names a QuickTime reel .mov', async () => {
    const prepared = await prepareMedia(await file('clip.mov', makeMp4({ brand: 'qt  ' })), 'reel');
    expect(prepared.name).toMatch(/\.mov$/);
  });

  it('rejects an image given as a reel and a video given as an image', async () => {
    await expect(prepareMedia(await file('x.png', await makeImage(400, 400)), 'reel')).rejects.toThrow(
      /a reel needs an MP4 or MOV video/,
    );
    await expect(prepareMedia(await file('y.mp4', makeMp4()), 'image')).rejects.toThrow(
      /post it with kind "reel"/,
    );
  });

  it('rejects a file that is neither image nor video', async () => {
    await expect(prepareMedia(await file('notes.txt', Buffer.from('hello world')), 'image')).rejects.toThrow(
      /not an image or video Instagram accepts; use JPEG, PNG or WebP images, or MP4\/MOV videos/,
    );
  });

  it('names a missing file', async () => {
    await expect(prepareMedia(join(dir, 'missing.jpg'), 'image')).rejects.toThrow(
      /missing\.jpg: no such file/,
    );
  });
});
