// Pixel count of an RLE (pycocotools rleArea): the sum of the odd-indexed runs, in 32-bit
// unsigned arithmetic as the C code keeps it.
import type { Rle } from '../types.ts';

export function area(rle: Rle): number {
  const c = rle.counts;
  let a = 0;
  for (let j = 1; j < c.length; j += 2) a += c[j];
  return a >>> 0; // uint wrap-around (a < 2^53, so the sum above is exact)
}
