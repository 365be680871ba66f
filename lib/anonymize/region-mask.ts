// The region an anonymizer works on: a binary pixel mask, row-major, one byte per pixel
// (`h * w` bytes, nonzero = inside the region), the same size as the image it belongs to.
import type { Image } from '../data/image.ts';

/** Half-open pixel box: columns x0..x1-1, rows y0..y1-1. */
export interface PixelBox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** Throws a clear error unless `mask` has exactly one byte per pixel of `img`. */
export function checkMask(img: Image, mask: Uint8Array, what = 'mask'): void {
  if (!Number.isInteger(img.width) || !Number.isInteger(img.height) || img.width <= 0 || img.height <= 0) {
    throw new Error(`image: bad size ${img.width}x${img.height}`);
  }
  if (img.data.length !== img.width * img.height * img.channels) {
    throw new Error(`image: ${img.data.length} bytes for ${img.width}x${img.height}x${img.channels}`);
  }
  if (mask.length !== img.width * img.height) {
    throw new Error(`${what}: ${mask.length} pixels, the image has ${img.width}x${img.height} = ${img.width * img.height}`);
  }
}

/**
 * The mask as horizontal runs of nonzero pixels: row y's runs are
 * `starts[i], ends[i]` (columns, half-open) for i in rowStart[y] .. rowStart[y+1]-1, left to right.
 * Zero stretches are skipped four bytes at a time, so a sparse mask costs about a quarter of a
 * byte-by-byte scan.
 */
export interface MaskRuns {
  width: number;
  height: number;
  rowStart: Int32Array;
  starts: Int32Array;
  ends: Int32Array;
  count: number;
}

export function maskRuns(mask: Uint8Array, width: number, height: number): MaskRuns {
  if (mask.length !== width * height) throw new Error(`mask: ${mask.length} pixels for a ${width}x${height} image`);
  const words = mask.byteOffset % 4 === 0 ? new Uint32Array(mask.buffer, mask.byteOffset, mask.length >> 2) : null;
  const rowStart = new Int32Array(height + 1);
  let starts = new Int32Array(64);
  let ends = new Int32Array(64);
  let n = 0;
  for (let y = 0; y < height; y++) {
    rowStart[y] = n;
    const row = y * width;
    const end = row + width;
    let i = row;
    while (i < end) {
      if (mask[i] === 0) {
        if (words !== null && (i & 3) === 0) {
          while (i + 4 <= end && words[i >> 2] === 0) i += 4;
          if (i >= end) break;
        }
        if (mask[i] === 0) {
          i++;
          continue;
        }
      }
      const a = i;
      while (i < end && mask[i] !== 0) i++;
      if (n === starts.length) {
        const s2 = new Int32Array(n * 2);
        s2.set(starts);
        starts = s2;
        const e2 = new Int32Array(n * 2);
        e2.set(ends);
        ends = e2;
      }
      starts[n] = a - row;
      ends[n] = i - row;
      n++;
    }
  }
  rowStart[height] = n;
  return { width, height, rowStart, starts, ends, count: n };
}

/** The tight box around the runs, or null when there are none. */
export function runsBox(r: MaskRuns): PixelBox | null {
  if (r.count === 0) return null;
  let x0 = r.width;
  let x1 = 0;
  let y0 = -1;
  let y1 = 0;
  for (let y = 0; y < r.height; y++) {
    const a = r.rowStart[y]!;
    const b = r.rowStart[y + 1]!;
    if (a === b) continue;
    if (y0 < 0) y0 = y;
    y1 = y + 1;
    if (r.starts[a]! < x0) x0 = r.starts[a]!;
    if (r.ends[b - 1]! > x1) x1 = r.ends[b - 1]!;
  }
  return { x0, y0, x1, y1 };
}

/** The tight box around the nonzero pixels, or null when the mask is empty. */
export function maskBox(mask: Uint8Array, width: number, height: number): PixelBox | null {
  return runsBox(maskRuns(mask, width, height));
}

/** `box` grown by `r` pixels on every side, clamped to the image. */
export function growBox(box: PixelBox, r: number, width: number, height: number): PixelBox {
  return {
    x0: Math.max(0, box.x0 - r),
    y0: Math.max(0, box.y0 - r),
    x1: Math.min(width, box.x1 + r),
    y1: Math.min(height, box.y1 + r),
  };
}

/** Number of nonzero pixels. */
export function maskArea(mask: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i] !== 0) n++;
  return n;
}

/** A new image with the same pixels (the anonymizers never write into their input). */
export function copyImage(img: Image): Image {
  return { width: img.width, height: img.height, channels: img.channels, data: new Uint8Array(img.data) };
}

/**
 * A per-channel constant from a number (same for every channel) or a list (one per channel;
 * a 3-value list on a 4-channel image leaves alpha at 255). Each value must be an integer 0..255.
 */
export function fillValues(fill: number | readonly number[], channels: number, what = 'fill'): Uint8Array {
  const out = new Uint8Array(channels);
  const vals = typeof fill === 'number' ? new Array<number>(channels).fill(fill) : [...fill];
  if (typeof fill !== 'number') {
    if (vals.length === 3 && channels === 4) vals.push(255);
    if (vals.length !== channels) throw new Error(`${what}: ${vals.length} values for a ${channels}-channel image`);
  }
  for (let c = 0; c < channels; c++) {
    const v = vals[c]!;
    if (!Number.isInteger(v) || v < 0 || v > 255) throw new Error(`${what}: channel ${c} value ${v} is not an integer in 0..255`);
    out[c] = v;
  }
  return out;
}
