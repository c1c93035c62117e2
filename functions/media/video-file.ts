import { open } from 'node:fs/promises';
import { MediaError } from './errors.ts';
import { inspectVideo, type VideoInfo } from './video.ts';

/** A moov box (the index) larger than this is not a video Meta takes; it is not read into memory. */
const MAX_MOOV_BYTES = 64 * 2 ** 20;

/**
 * inspectVideo for a video on disk: walks the top-level boxes by their headers, reads only the
 * moov box into memory and parses it, so a 300 MB reel is never held whole.
 *
 * @example await inspectVideoFile('/tmp/carrier-media-x/download.mp4', 'clip.mp4') // { durationMs: 12000, ... }
 */
export async function inspectVideoFile(path: string, name: string): Promise<VideoInfo> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    const header = Buffer.alloc(16);
    let moov: { start: number; size: number } | undefined;
    let mdatAt: number | undefined;
    for (let at = 0; at + 8 <= size && !(moov && mdatAt !== undefined);) {
      const { bytesRead } = await file.read(header, 0, 16, at);
      let boxSize = header.readUInt32BE(0);
      let headerSize = 8;
      if (boxSize === 1) {
        if (bytesRead < 16) break;
        boxSize = Number(header.readBigUInt64BE(8));
        headerSize = 16;
      } else if (boxSize === 0) {
        boxSize = size - at;
      }
      if (boxSize < headerSize) break;
      const type = header.toString('latin1', 4, 8);
      if (type === 'moov' && !moov) moov = { start: at, size: boxSize };
      if (type === 'mdat' && mdatAt === undefined) mdatAt = at;
      at += boxSize;
    }
    // Without a moov, inspectVideo gives the same error as for bytes in memory.
    if (!moov) return inspectVideo(Buffer.alloc(0), name);
    if (moov.size > MAX_MOOV_BYTES) {
      throw new MediaError(
        `${name}: the moov box is ${Math.round(moov.size / 2 ** 20)} MB; export the video again`,
        false,
      );
    }
    const bytes = Buffer.alloc(Math.min(moov.size, size - moov.start));
    await file.read(bytes, 0, bytes.length, moov.start);
    const info = inspectVideo(bytes, name);
    return { ...info, moovFirst: mdatAt === undefined || moov.start < mdatAt };
  } finally {
    await file.close();
  }
}
