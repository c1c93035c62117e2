export type MediaFormat = 'jpeg' | 'png' | 'webp' | 'gif' | 'avif' | 'tiff' | 'mp4' | 'mov';

export const IMAGE_FORMATS: readonly MediaFormat[] = ['jpeg', 'png', 'webp', 'gif', 'avif', 'tiff'];
export const VIDEO_FORMATS: readonly MediaFormat[] = ['mp4', 'mov'];

/**
 * The format of a file from its first bytes (never from its name or a Content-Type header, which
 * lie). MP4 and MOV share the ISO box layout; the `ftyp` major brand `qt  ` marks QuickTime.
 *
 * @example sniffFormat(await readFile('cat.png')) // 'png'
 */
export function sniffFormat(bytes: Uint8Array): MediaFormat | undefined {
  const ascii = (from: number, to: number) => Buffer.from(bytes.subarray(from, to)).toString('latin1');
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (ascii(0, 8) === '\x89PNG\r\n\x1a\n') return 'png';
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'webp';
  if (ascii(0, 4) === 'GIF8') return 'gif';
  if (ascii(0, 4) === 'II*\0' || ascii(0, 4) === 'MM\0*') return 'tiff';
  if (ascii(4, 8) === 'ftyp') {
    const brand = ascii(8, 12);
    if (brand === 'avif' || brand === 'avis') return 'avif';
    return brand === 'qt  ' ? 'mov' : 'mp4';
  }
  // Old QuickTime files may start with another top-level atom before (or without) ftyp.
  if (['moov', 'mdat', 'wide', 'free'].includes(ascii(4, 8))) return 'mov';
  return undefined;
}
