// Bounding box of an RLE, following pycocotools rleToBbox exactly (including its uint arithmetic
// and its rule that a run of 1s crossing a column boundary makes the box span the full height).
import type { Box, Rle } from '../types.ts';

/** [x, y, w, h] of the mask's pixels; [0, 0, 0, 0] when the RLE has fewer than two runs. */
export function toBbox(rle: Rle): Box {
  const h = rle.h >>> 0;
  const w = rle.w >>> 0;
  const c = rle.counts;
  const m = c.length & ~1; // only whole (0-run, 1-run) pairs
  if (m === 0) return [0, 0, 0, 0];
  let xs = w;
  let ys = h;
  let xe = 0;
  let ye = 0;
  let cc = 0;
  let xp = 0;
  for (let j = 0; j < m; j++) {
    cc = (cc + c[j]) >>> 0;
    const t = (cc - (j & 1)) >>> 0;
    const y = t % h;
    const x = (t - y) / h;
    if ((j & 1) === 0) xp = x;
    else if (xp < x) {
      ys = 0;
      ye = (h - 1) >>> 0;
    }
    if (x < xs) xs = x;
    if (x > xe) xe = x;
    if (y < ys) ys = y;
    if (y > ye) ye = y;
  }
  return [xs, ys, (xe - xs + 1) >>> 0, (ye - ys + 1) >>> 0];
}

/** toBbox of each RLE, flattened into 4 numbers per RLE. */
export function toBboxes(rles: readonly Rle[]): Float64Array {
  const out = new Float64Array(rles.length * 4);
  for (let i = 0; i < rles.length; i++) out.set(toBbox(rles[i]), i * 4);
  return out;
}
