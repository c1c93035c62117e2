import { MediaError } from './errors.ts';

export interface VideoInfo {
  durationMs: number;
  width?: number;
  height?: number;
  /** Whether the moov box (the index) comes before the media data, as Meta requires. */
  moovFirst: boolean;
}

export interface VideoLimits {
  minMs: number;
  maxMs: number;
  maxBytes: number;
}

const MB = 1024 * 1024;

/** Meta's limits per use (Instagram Platform content publishing reference). */
export const VIDEO_LIMITS = {
  reel: { minMs: 3_000, maxMs: 15 * 60_000, maxBytes: 300 * MB },
  story: { minMs: 3_000, maxMs: 60_000, maxBytes: 100 * MB },
  carousel: { minMs: 3_000, maxMs: 60_000, maxBytes: 100 * MB },
} satisfies Record<string, VideoLimits>;

interface Box {
  type: string;
  start: number;
  /** Where the payload starts (after the size, type and any 64-bit size). */
  body: number;
  end: number;
  /** The box says it is longer than the bytes that are there. */
  truncated: boolean;
}

function* boxes(bytes: Buffer, from: number, to: number): Generator<Box> {
  let at = from;
  while (at + 8 <= to) {
    let size = bytes.readUInt32BE(at);
    const type = bytes.toString('latin1', at + 4, at + 8);
    let body = at + 8;
    if (size === 1) {
      if (at + 16 > to) return;
      size = Number(bytes.readBigUInt64BE(at + 8));
      body = at + 16;
    } else if (size === 0) {
      size = to - at;
    }
    if (size < body - at) return;
    const end = Math.min(at + size, to);
    yield { type, start: at, body, end, truncated: at + size > to };
    at = at + size;
  }
}

/**
 * Reads an MP4/MOV's duration and picture size from its boxes (mvhd and the video track's tkhd)
 * without ffmpeg: enough to check Meta's limits before uploading anything.
 *
 * @example inspectVideo(await readFile('clip.mp4')) // { durationMs: 12000, width: 1080, height: 1920, moovFirst: true }
 */
export function inspectVideo(bytes: Buffer, name = 'video'): VideoInfo {
  let moov: Box | undefined;
  let mdatAt: number | undefined;
  for (const box of boxes(bytes, 0, bytes.length)) {
    if (box.type === 'moov' && !moov) moov = box;
    if (box.type === 'mdat' && mdatAt === undefined) mdatAt = box.start;
  }
  if (!moov || moov.truncated) {
    throw new MediaError(
      `${name}: ${moov ? 'the moov box is cut short' : 'no moov box'}, so the file is incomplete or not an MP4/MOV video; export it again as MP4 (H.264, AAC)`,
      false,
    );
  }
  let durationMs: number | undefined;
  let width: number | undefined;
  let height: number | undefined;
  for (const box of boxes(bytes, moov.body, moov.end)) {
    if (box.type === 'mvhd') durationMs = mvhdDuration(bytes, box);
    if (box.type === 'trak' && width === undefined) {
      for (const inner of boxes(bytes, box.body, box.end)) {
        if (inner.type !== 'tkhd' || inner.end - inner.body < 8) continue;
        // tkhd ends with width and height as 16.16 fixed point; audio tracks have zeros.
        const w = bytes.readUInt32BE(inner.end - 8) / 65_536;
        const h = bytes.readUInt32BE(inner.end - 4) / 65_536;
        if (w > 0 && h > 0) [width, height] = [Math.round(w), Math.round(h)];
      }
    }
  }
  if (durationMs === undefined) {
    throw new MediaError(
      `${name}: the moov box has no mvhd, so the duration is unknown; export the video again`,
      false,
    );
  }
  return {
    durationMs,
    ...(width !== undefined ? { width, height } : {}),
    moovFirst: mdatAt === undefined || moov.start < mdatAt,
  };
}

function mvhdDuration(bytes: Buffer, box: Box): number {
  const version = bytes.readUInt8(box.body);
  const timescale = version === 1 ? bytes.readUInt32BE(box.body + 20) : bytes.readUInt32BE(box.body + 12);
  const duration =
    version === 1 ? Number(bytes.readBigUInt64BE(box.body + 24)) : bytes.readUInt32BE(box.body + 16);
  return timescale ? Math.round((duration / timescale) * 1000) : 0;
}

/** Checks a video against Meta's limits for its use; the error says what to change. */
export function checkVideo(
  info: VideoInfo,
  bytes: number,
  limits: VideoLimits,
  name: string,
  use: string,
): void {
  const seconds = (ms: number) => `${(ms / 1000).toFixed(ms % 1000 ? 1 : 0)} s`;
  if (bytes > limits.maxBytes) {
    throw new MediaError(
      `${name}: the video is ${(bytes / MB).toFixed(0)} MB; a ${use} may be at most ${limits.maxBytes / MB} MB: compress it or lower its bitrate`,
      false,
    );
  }
  if (info.durationMs < limits.minMs || info.durationMs > limits.maxMs) {
    throw new MediaError(
      `${name}: the video lasts ${seconds(info.durationMs)}; a ${use} must last ${seconds(limits.minMs)} to ${seconds(limits.maxMs)}: trim it`,
      false,
    );
  }
  if (!info.moovFirst) {
    throw new MediaError(
      `${name}: the moov box comes after the media data; Meta needs it first: re-export with "fast start" (ffmpeg -movflags +faststart)`,
      false,
    );
  }
}
