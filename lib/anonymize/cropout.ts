// Crop-out (Zhou & Beyerer, "Impact of Data Anonymization on Semantic Segmentation", poster):
// the person is cut out of the image. The poster names the pattern ("Crop Out") without giving
// the value left behind; we leave black (0 in every channel), the usual meaning of cropping a
// region out, configurable per channel. Like mask-out it never reads the region's pixels.
import type { Image } from '../data/image.ts';
import { fillRegion } from './maskout.ts';

export interface CropOutOptions {
  /** 0..255 for every channel, or one value per channel (default 0, black). */
  fill?: number | readonly number[];
}

export const CROPOUT_DEFAULTS = { fill: 0 };

export function cropOut(img: Image, mask: Uint8Array, opts: CropOutOptions = {}): Image {
  return fillRegion(img, mask, opts.fill ?? CROPOUT_DEFAULTS.fill, 'cropout fill');
}
