import sharp from 'sharp';

/** An image of the given size and format, with a gradient so it compresses like a photo. */
export async function makeImage(
  width: number,
  height: number,
  format: 'png' | 'webp' | 'jpeg' = 'png',
  opts: { orientation?: number; quality?: number } = {},
): Promise<Buffer> {
  const raw = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      raw[i] = (x * 255) / width;
      raw[i + 1] = (y * 255) / height;
      raw[i + 2] = (x ^ y) & 0xff;
    }
  }
  let image = sharp(raw, { raw: { width, height, channels: 3 } });
  if (opts.orientation) image = image.withMetadata({ orientation: opts.orientation });
  if (format === 'png') return image.png().toBuffer();
  if (format === 'webp') return image.webp().toBuffer();
  return image.jpeg({ quality: opts.quality ?? 85 }).toBuffer();
}

function box(type: string, ...payload: Buffer[]): Buffer {
  const body = Buffer.concat(payload);
  const head = Buffer.alloc(8);
  head.writeUInt32BE(body.length + 8, 0);
  head.write(type, 4, 'latin1');
  return Buffer.concat([head, body]);
}

/**
 * A minimal ISO-BMFF video: ftyp, moov (mvhd with the duration, one video trak with tkhd holding
 * the picture size) and an mdat of filler. Enough for box parsers and Meta's format sniffing.
 */
export function makeMp4(
  opts: {
    durationMs?: number;
    width?: number;
    height?: number;
    brand?: string;
    moovFirst?: boolean;
    mdatBytes?: number;
  } = {},
): Buffer {
  const {
    durationMs = 10_000,
    width = 1080,
    height = 1920,
    brand = 'isom',
    moovFirst = true,
    mdatBytes = 1024,
  } = opts;
  const ftyp = box(
    'ftyp',
    Buffer.from(brand.padEnd(4).slice(0, 4), 'latin1'),
    Buffer.alloc(4),
    Buffer.from('isomiso2mp41'),
  );
  const mvhd = Buffer.alloc(100);
  mvhd.writeUInt32BE(1000, 12); // timescale
  mvhd.writeUInt32BE(durationMs, 16);
  const tkhd = Buffer.alloc(84);
  tkhd.writeUInt32BE(width * 65_536, 76);
  tkhd.writeUInt32BE(height * 65_536, 80);
  const moov = box('moov', box('mvhd', mvhd), box('trak', box('tkhd', tkhd)));
  const mdat = box('mdat', Buffer.alloc(mdatBytes, 7));
  return Buffer.concat(moovFirst ? [ftyp, moov, mdat] : [ftyp, mdat, moov]);
}
