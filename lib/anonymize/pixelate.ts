// Pixelation: the region's bounding box is cut into square blocks of `block` pixels starting at
// its top-left corner (the last column and row of blocks are cut short by the box edge); every
// region pixel takes the mean of its block, per channel. This is the usual "pixelate a box"
// (shrink by block averaging, enlarge by repetition) applied only inside the mask.
//   average 'block' (default): mean over all pixels of the block (inside the box), region or not.
//   average 'region': mean over the block's region pixels only (the background never bleeds in).
// Means are rounded half up in exact integer arithmetic: floor((2 * sum + n) / (2 * n)).
// Pixelation reads the region's own pixels (it is not a privacy-safe removal like mask-out).
// A mask holding several people gets one grid for their common box: call it per instance for a
// grid per person.
import type { Image } from '../data/image.ts';
import { checkMask, copyImage, maskBox } from './region-mask.ts';

export type PixelateAverage = 'block' | 'region';

export interface PixelateOptions {
  /** Block side in pixels (default 16). */
  block?: number;
  average?: PixelateAverage;
}

export const PIXELATE_DEFAULTS = { block: 16, average: 'block' as PixelateAverage };

export function pixelate(img: Image, mask: Uint8Array, opts: PixelateOptions = {}): Image {
  checkMask(img, mask);
  const b = opts.block ?? PIXELATE_DEFAULTS.block;
  const average = opts.average ?? PIXELATE_DEFAULTS.average;
  if (!Number.isInteger(b) || b < 1) throw new Error(`pixelate: block must be a positive integer, got ${b}`);
  if (average !== 'block' && average !== 'region') throw new Error(`pixelate: average must be 'block' or 'region', got '${String(average)}'`);
  const out = copyImage(img);
  const { width: W, channels: C } = img;
  const box = maskBox(mask, W, img.height);
  if (!box) return out;
  const sums = new Float64Array(C);
  for (let by = box.y0; by < box.y1; by += b) {
    const ey = Math.min(by + b, box.y1);
    for (let bx = box.x0; bx < box.x1; bx += b) {
      const ex = Math.min(bx + b, box.x1);
      sums.fill(0);
      let n = 0;
      let any = false;
      for (let y = by; y < ey; y++) {
        for (let x = bx; x < ex; x++) {
          const inRegion = mask[y * W + x] !== 0;
          any ||= inRegion;
          if (average === 'region' && !inRegion) continue;
          const o = (y * W + x) * C;
          for (let c = 0; c < C; c++) sums[c]! += img.data[o + c]!;
          n++;
        }
      }
      if (!any) continue;
      for (let c = 0; c < C; c++) sums[c] = Math.floor((2 * sums[c]! + n) / (2 * n));
      for (let y = by; y < ey; y++) {
        for (let x = bx; x < ex; x++) {
          if (mask[y * W + x] === 0) continue;
          const o = (y * W + x) * C;
          for (let c = 0; c < C; c++) out.data[o + c] = sums[c]!;
        }
      }
    }
  }
  return out;
}
