// Box IoU, following pycocotools bbIou: boxes are [x, y, w, h]; for a crowd ground truth the
// union is the detection's area alone; non-overlapping pairs (width or height <= 0) give 0.
import type { Box } from '../types.ts';
import { crowdFlags } from './crowd.ts';

/** Row-major dt.length x gt.length IoUs. `iscrowd` is per gt (may be empty: none crowd). */
export function bboxIou(dt: readonly Box[], gt: readonly Box[], iscrowd: ArrayLike<number | boolean>): Float64Array {
  const m = dt.length;
  const n = gt.length;
  const db = new Float64Array(m * 4);
  const gb = new Float64Array(n * 4);
  for (let d = 0; d < m; d++) db.set(dt[d], d * 4);
  for (let g = 0; g < n; g++) gb.set(gt[g], g * 4);
  const out = new Float64Array(m * n);
  bboxIouFlat(db, gb, m, n, crowdFlags(iscrowd, n, 'bboxIou'), out);
  return out;
}

/** bbIou on flat [x, y, w, h] arrays, writing row-major m x n IoUs into `out`. */
export function bboxIouFlat(db: Float64Array, gb: Float64Array, m: number, n: number, crowd: Uint8Array, out: Float64Array): void {
  for (let g = 0; g < n; g++) {
    const gx = gb[g * 4], gy = gb[g * 4 + 1], gw = gb[g * 4 + 2], gh = gb[g * 4 + 3];
    const ga = gw * gh;
    const isCrowd = crowd[g] !== 0;
    for (let d = 0; d < m; d++) {
      const dx = db[d * 4], dy = db[d * 4 + 1], dw = db[d * 4 + 2], dh = db[d * 4 + 3];
      const da = dw * dh;
      const o = d * n + g;
      out[o] = 0;
      const iw = fmin(dw + dx, gw + gx) - fmax(dx, gx);
      if (iw <= 0) continue;
      const ih = fmin(dh + dy, gh + gy) - fmax(dy, gy);
      if (ih <= 0) continue;
      const i = iw * ih;
      out[o] = i / (isCrowd ? da : da + ga - i);
    }
  }
}

// C99 fmin/fmax: a NaN operand is ignored (Math.min/max would propagate it).
function fmin(a: number, b: number): number {
  return a < b || b !== b ? a : b;
}
function fmax(a: number, b: number): number {
  return a > b || b !== b ? a : b;
}
