import type Sharp from 'sharp';
import { MediaError } from './errors.ts';
import type { MediaFormat } from './sniff.ts';

/*
 * Image library: sharp (libvips), chosen over pure-JS codecs after measuring here on a
 * 2000x2000 photo-like PNG: sharp converts it to JPEG in ~90 ms (WebP in ~155 ms); pngjs +
 * jpeg-js take ~760 ms and jimp ~1,300 ms, and neither reads WebP without a WASM add-on nor
 * applies EXIF orientation (phone photos would post sideways). The cost is a native binary:
 * sharp's prebuilt libvips comes as npm packages per platform (@img/sharp-linux-arm64 for
 * Lambda), so the publisher bundle marks `sharp` external and ships it beside index.mjs with
 * those packages, which a bundling synth installs itself (lib/config/lambda-modules.ts; no
 * Docker needed). It is imported lazily, so only code that converts an image pays its ~110 ms
 * load.
 */

const MB = 1024 * 1024;
export const MAX_IMAGE_BYTES = 8 * MB;
/** Instagram shows at most 1440 px wide; wider images are scaled down before upload. */
export const MAX_IMAGE_WIDTH = 1440;
export const MIN_IMAGE_WIDTH = 320;
/** Feed and carousel images: from 4:5 portrait to 1.91:1 landscape. */
export const FEED_ASPECT = { min: 4 / 5, max: 1.91 };

export interface PreparedImage {
  bytes: Buffer;
  width: number;
  height: number;
  /** Whether the bytes differ from the input (converted, scaled or rotated). */
  converted: boolean;
}

/**
 * Makes an image Instagram accepts: JPEG, upright (EXIF orientation applied), at most 1440 px
 * wide and 8 MB. Feed and carousel images must already be between 4:5 and 1.91:1: cropping is
 * the author's choice, so the error says what to do instead of cropping silently.
 *
 * @example const { bytes } = await prepareImage(png, 'png', { name: 'cat.png', feed: true });
 */
export async function prepareImage(
  input: Buffer,
  format: MediaFormat,
  opts: { name: string; feed: boolean },
): Promise<PreparedImage> {
  const sharp = await loadSharp();
  const meta = await sharp(input)
    .metadata()
    .catch((error: unknown) => {
      throw new MediaError(
        `${opts.name}: the ${format} image cannot be decoded; save it again as JPEG`,
        false,
        {
          cause: error,
        },
      );
    });
  const turned = (meta.orientation ?? 1) >= 5;
  const width = (turned ? meta.height : meta.width) ?? 0;
  const height = (turned ? meta.width : meta.height) ?? 0;
  if (width < MIN_IMAGE_WIDTH) {
    throw new MediaError(
      `${opts.name}: the image is ${width} px wide; Instagram needs at least ${MIN_IMAGE_WIDTH} px: use a larger image`,
      false,
    );
  }
  const aspect = width / height;
  if (opts.feed && (aspect < FEED_ASPECT.min - 0.005 || aspect > FEED_ASPECT.max + 0.005)) {
    const fix =
      aspect < FEED_ASPECT.min
        ? `crop it to at most ${Math.floor(width / FEED_ASPECT.min)} px high (4:5), or post it as a story`
        : `crop it to at most ${Math.floor(height * FEED_ASPECT.max)} px wide (1.91:1)`;
    throw new MediaError(
      `${opts.name}: the image is ${width}x${height} (aspect ${aspect.toFixed(2)}:1); feed images must be between 4:5 (0.80) and 1.91:1: ${fix}`,
      false,
    );
  }
  const upright = (meta.orientation ?? 1) === 1;
  if (format === 'jpeg' && upright && width <= MAX_IMAGE_WIDTH && input.length <= MAX_IMAGE_BYTES) {
    return { bytes: input, width, height, converted: false };
  }
  // Lower the quality step by step for the rare image that is still too large at 1440 px.
  for (const quality of [90, 80, 70, 60]) {
    const { data, info } = await sharp(input, { animated: false })
      .rotate()
      .resize({ width: MAX_IMAGE_WIDTH, withoutEnlargement: true })
      .flatten({ background: '#ffffff' })
      .jpeg({ quality })
      .toBuffer({ resolveWithObject: true });
    if (data.length <= MAX_IMAGE_BYTES)
      return { bytes: data, width: info.width, height: info.height, converted: true };
  }
  throw new MediaError(
    `${opts.name}: the image stays over 8 MB as a JPEG; use a simpler or smaller image`,
    false,
  );
}

/** sharp's native part is per platform: a bundle shipped without it fails here, saying what to install. */
async function loadSharp(): Promise<typeof Sharp> {
  try {
    return (await import('sharp')).default;
  } catch (error) {
    const platform = `${process.platform}-${process.arch}`;
    throw new MediaError(
      `cannot load the image library sharp for ${platform} (${(error as Error).message.split('\n')[0]}); ship it with the publisher: npm install --os=${process.platform} --cpu=${process.arch} sharp`,
      true,
      { cause: error },
    );
  }
}
