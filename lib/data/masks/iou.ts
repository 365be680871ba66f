// Mask IoU on runs, following pycocotools rleIou: the box IoU (bbIou of rleToBbox) is computed
// first and only pairs whose boxes overlap (> 0) walk the runs. A pair of different image sizes
// whose boxes overlap gets -1; a pair with an empty intersection gets 0 (union taken as 1); for a
// crowd ground truth the union is the detection's area. Intersection and union are 32-bit
// unsigned in the C code; both are bounded by h * w < 2^32 here, so no wrap-around can occur.
import type { Rle } from '../types.ts';
import { bboxIouFlat } from './bboxIou.ts';
import { crowdFlags } from './crowd.ts';
import { toBboxes } from './toBbox.ts';
import { assertRle } from './validate.ts';

/** Row-major dt.length x gt.length mask IoUs; `iscrowd` is per gt (may be empty: none crowd). */
export function iou(dt: readonly Rle[], gt: readonly Rle[], iscrowd: ArrayLike<number | boolean>): Float64Array {
  const m = dt.length;
  const n = gt.length;
  const crowd = crowdFlags(iscrowd, n, 'iou');
  for (let d = 0; d < m; d++) assertRle(dt[d], `iou: dt[${d}]`);
  for (let g = 0; g < n; g++) assertRle(gt[g], `iou: gt[${g}]`);
  const out = new Float64Array(m * n);
  if (m === 0 || n === 0) return out;
  bboxIouFlat(toBboxes(dt), toBboxes(gt), m, n, crowd, out);
  for (let g = 0; g < n; g++) {
    const G = gt[g];
    for (let d = 0; d < m; d++) {
      const o = d * n + g;
      if (!(out[o] > 0)) continue;
      const D = dt[d];
      if (D.h !== G.h || D.w !== G.w) {
        out[o] = -1;
        continue;
      }
      out[o] = pairIou(D.counts, G.counts, crowd[g] !== 0);
    }
  }
  return out;
}

/** The run walk of rleIou for one (dt, gt) pair of equal size. */
export function pairIou(A: Uint32Array, B: Uint32Array, crowd: boolean): number {
  const ka = A.length;
  const kb = B.length;
  let ca = A[0];
  let cb = B[0];
  let va = false;
  let vb = false;
  let a = 1;
  let b = 1;
  let i = 0;
  let u = 0;
  let ct = 1;
  while (ct > 0) {
    const c = ca < cb ? ca : cb;
    if (va || vb) {
      u += c;
      if (va && vb) i += c;
    }
    ca -= c;
    if (ca === 0 && a < ka) {
      ca = A[a++];
      va = !va;
    }
    cb -= c;
    if (cb === 0 && b < kb) {
      cb = B[b++];
      vb = !vb;
    }
    ct = (ca + cb) >>> 0;
  }
  if (i === 0) u = 1;
  else if (crowd) {
    u = 0;
    for (let j = 1; j < ka; j += 2) u += A[j];
  }
  return i / u;
}
