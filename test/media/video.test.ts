import { describe, expect, it } from 'vitest';
import { MediaError } from '#core/media/errors.ts';
import { sniffFormat } from '#core/media/sniff.ts';
import { checkVideo, inspectVideo, VIDEO_LIMITS } from '#core/media/video.ts';
import { makeMp4 } from './support/fixtures.ts';

describe('video inspection without ffmpeg', () => {
  it('reads the duration and picture size from mvhd and tkhd', () => {
    expect(inspectVideo(makeMp4({ durationMs: 12_500, width: 720, height: 1280 }))).toEqual({
      durationMs: 12_500,
      width: 720,
      height: 1280,
      moovFirst: true,
    });
  });

  it('tells MP4 from MOV by the ftyp brand', () => {
    expect(sniffFormat(makeMp4())).toBe('mp4');
    expect(sniffFormat(makeMp4({ brand: 'qt  ' }))).toBe('mov');
  });

  it('rejects a reel shorter than 3 seconds with what to do', () => {
    const info = inspectVideo(makeMp4({ durationMs: 1_000 }));
    expect(() => checkVideo(info, 1000, VIDEO_LIMITS.reel, 'clip.mp4', 'reel')).toThrow(
      /clip\.mp4: the video lasts 1 s; a reel must last 3 s to 900 s: trim it/,
    );
  });

  it('rejects a story longer than 60 seconds', () => {
    const info = inspectVideo(makeMp4({ durationMs: 61_000 }));
    expect(() => checkVideo(info, 1000, VIDEO_LIMITS.story, 's.mp4', 'story')).toThrow(/3 s to 60 s/);
  });

  it('rejects a file over the size limit', () => {
    const info = inspectVideo(makeMp4());
    expect(() => checkVideo(info, 301 * 2 ** 20, VIDEO_LIMITS.reel, 'big.mp4', 'reel')).toThrow(
      /301 MB; a reel may be at most 300 MB/,
    );
  });

  it('asks for fast start when the index follows the media data', () => {
    const info = inspectVideo(makeMp4({ moovFirst: false }));
    expect(info.moovFirst).toBe(false);
    expect(() => checkVideo(info, 1000, VIDEO_LIMITS.reel, 'late.mp4', 'reel')).toThrow(
      /-movflags \+faststart/,
    );
  });

  it('rejects a truncated file as not fixable by waiting', () => {
    const cut = makeMp4().subarray(0, 40);
    const error = (() => {
      try {
        inspectVideo(Buffer.from(cut), 'cut.mp4');
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(MediaError);
    expect((error as MediaError).retryable).toBe(false);
    expect((error as MediaError).message).toMatch(/cut\.mp4: the moov box is cut short/);
  });
});
