// Mask-out (Hukkelås & Lindseth 2023, Sec. 3.2): I_new = I * (1 - M) + M * 127.
// Every region pixel takes the fill value (default 127 in every channel; a per-channel list is
// accepted); nothing under the mask is read, so the output carries no trace of it.
import type { Image } from '../data/image.ts';
import { checkMask, fillValues, maskRuns } from './region-mask.ts';

export interface MaskOutOptions {
  /** 0..255 for every channel, or one value per channel (default 127, the paper's). */
  fill?: number | readonly number[];
}

export const MASKOUT_DEFAULTS = { fill: 127 };

/** Sets every region pixel to `fill`; returns a new image. */
export function fillRegion(img: Image, mask: Uint8Array, fill: number | readonly number[], what = 'fill'): Image {
  checkMask(img, mask);
  const C = img.channels;
  const v = fillValues(fill, C, what);
  const data = new Uint8Array(img.data);
  const runs = maskRuns(mask, img.width, img.height);
  for (let y = 0; y < img.height; y++) {
    for (let i = runs.rowStart[y]!; i < runs.rowStart[y + 1]!; i++) {
      const a = (y * img.width + runs.starts[i]!) * C;
      const b = (y * img.width + runs.ends[i]!) * C;
      if (C === 1) data.fill(v[0]!, a, b);
      else for (let o = a; o < b; o += C) for (let c = 0; c < C; c++) data[o + c] = v[c]!;
    }
  }
  return { width: img.width, height: img.height, channels: C, data };
}

export function maskOut(img: Image, mask: Uint8Array, opts: MaskOutOptions = {}): Image {
  return fillRegion(img, mask, opts.fill ?? MASKOUT_DEFAULTS.fill, 'maskout fill');
}
