// Bounding box of an RLE, following the current pycocotools rleToBbox (cocodataset/cocoapi and
// the pycocotools 2.0.x releases; the older version mishandled zero-length runs of 1s): each
// non-empty run of 1s contributes its first and last column, and its rows unless it crosses a
// column boundary, in which case the box spans the full height. Arithmetic is 32-bit unsigned
// as in the C code, so an RLE with two or more runs but no pixel gives the C's wrapped-around
// box [w, h, 2^32 + 1 - w, 2^32 + 1 - h]; encode, frPoly and merge never produce such an RLE.
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
  for (let j = 0; j < m; j++) {
    const start = cc; // first pixel of run j
    cc = (cc + c[j]) >>> 0; // first pixel of run j + 1
    if ((j & 1) === 0 || c[j] === 0) continue; // 0-runs and empty 1-runs
    const end = (cc - 1) >>> 0;
    const yStart = start % h;
    const xStart = (start - yStart) / h;
    const yEnd = end % h;
    const xEnd = (end - yEnd) / h;
    if (xStart < xs) xs = xStart;
    if (xEnd > xe) xe = xEnd;
    if (xStart < xEnd) {
      ys = 0; // the run crosses a column boundary
      ye = (h - 1) >>> 0;
    } else {
      if (yStart < ys) ys = yStart;
      if (yEnd > ye) ye = yEnd;
    }
  }
  return [xs, ys, (xe - xs + 1) >>> 0, (ye - ys + 1) >>> 0];
}

/** toBbox of each RLE, flattened into 4 numbers per RLE. */
export function toBboxes(rles: readonly Rle[]): Float64Array {
  const out = new Float64Array(rles.length * 4);
  for (let i = 0; i < rles.length; i++) out.set(toBbox(rles[i]), i * 4);
  return out;
}
