// Structural check of an Rle before the run-walking algorithms use it. The run-merging loops of
// pycocotools (rleMerge, rleIou) only terminate when both operands' counts sum to the same total,
// and rleDecode writes exactly sum(counts) pixels, so every such entry point checks h * w here first.
import type { Rle } from '../types.ts';

/** Largest pixel count a mask may have: pycocotools keeps counts and areas in 32-bit `uint`. */
export const MAX_PIXELS = 0xffffffff;

/** Why `rle` is not a well-formed RLE, or null when it is. */
export function rleProblem(rle: Rle): string | null {
  const { h, w, counts } = rle;
  if (!Number.isInteger(h) || h < 0 || !Number.isInteger(w) || w < 0) return `size [${h}, ${w}] is not two non-negative integers`;
  if (h * w > MAX_PIXELS) return `size [${h}, ${w}] has more than 2^32 - 1 pixels`;
  if (!(counts instanceof Uint32Array)) return 'counts is not a Uint32Array';
  let sum = 0;
  for (let j = 0; j < counts.length; j++) sum += counts[j];
  if (sum !== h * w) return `counts sum to ${sum}, expected h * w = ${h * w}`;
  return null;
}

/** Throws a RangeError naming `what` when `rle` is malformed. */
export function assertRle(rle: Rle, what = 'rle'): void {
  const p = rleProblem(rle);
  if (p !== null) throw new RangeError(`${what}: ${p}`);
}
