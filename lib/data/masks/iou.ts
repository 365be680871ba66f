// Mask IoU on runs, following pycocotools rleIou: the box IoU (bbIou of rleToBbox) is computed
// first and only pairs whose boxes overlap (> 0) look at the runs. A pair of different image
// sizes whose boxes overlap gets -1; a pair with an empty intersection gets 0 (the C sets the
// union to 1); for a crowd ground truth the union is the detection's area.
//
// The C walks both run lists from the start, summing intersection i and union u. For RLEs whose
// only zero-length run is the first one (every RLE that encode, frPoly, merge or pycocotools
// itself produces) that walk visits every run, so i = |A n B| and u = |A u B| = area(A) +
// area(B) - i; here i is found by intersecting the two lists of 1-runs, starting by binary
// search at the first column the two boxes share, and u from the areas: the same two integers,
// hence the same double. An RLE with a zero-length run further on can stop the C walk early
// (when both lists hit such runs at once); such pairs go through pairIou, the C walk itself.
// Intersections and unions are 32-bit unsigned in the C; both are at most h * w < 2^32 here.
import type { Rle } from '../types.ts';
import { bboxIouFlat } from './bboxIou.ts';
import { crowdFlags } from './crowd.ts';
import { toBbox } from './toBbox.ts';
import { rleProblem } from './validate.ts';

/** Row-major dt.length x gt.length mask IoUs; `iscrowd` is per gt (may be empty: none crowd). */
export function iou(dt: readonly Rle[], gt: readonly Rle[], iscrowd: ArrayLike<number | boolean>): Float64Array {
  const m = dt.length;
  const n = gt.length;
  const crowd = crowdFlags(iscrowd, n, 'iou');
  const out = new Float64Array(m * n);
  if (m === 0 || n === 0) {
    for (let d = 0; d < m; d++) check(dt[d], `iou: dt[${d}]`);
    for (let g = 0; g < n; g++) check(gt[g], `iou: gt[${g}]`);
    return out;
  }
  const D = dt.map((r, d) => prepare(r, `iou: dt[${d}]`));
  const G = gt.map((r, g) => prepare(r, `iou: gt[${g}]`));
  const db = new Float64Array(m * 4);
  const gb = new Float64Array(n * 4);
  for (let d = 0; d < m; d++) db.set(D[d].box, d * 4);
  for (let g = 0; g < n; g++) gb.set(G[g].box, g * 4);
  bboxIouFlat(db, gb, m, n, crowd, out);
  for (let g = 0; g < n; g++) {
    const pg = G[g];
    const isCrowd = crowd[g] !== 0;
    for (let d = 0; d < m; d++) {
      const o = d * n + g;
      if (!(out[o] > 0)) continue;
      const pd = D[d];
      if (pd.rle.h !== pg.rle.h || pd.rle.w !== pg.rle.w) {
        out[o] = -1;
        continue;
      }
      if (!pd.canonical || !pg.canonical) {
        out[o] = pairIou(pd.rle.counts, pg.rle.counts, isCrowd);
        continue;
      }
      // columns shared by the two boxes: [x0, x1)
      const x0 = Math.max(pd.box[0], pg.box[0]);
      const x1 = Math.min(pd.box[0] + pd.box[2], pg.box[0] + pg.box[2]);
      const h = pg.rle.h;
      const i = intersect(pd, pg, x0 * h, x1 * h);
      out[o] = i === 0 ? 0 : i / (isCrowd ? pd.area : pd.area + pg.area - i);
    }
  }
  return out;
}

interface Prepared {
  rle: Rle;
  /** ends[j] = counts[0] + ... + counts[j]: run j covers [ends[j-1], ends[j]). */
  ends: Uint32Array;
  area: number;
  box: [number, number, number, number];
  /** No zero-length run after the first. */
  canonical: boolean;
}

function check(rle: Rle, what: string): void {
  const p = rleProblem(rle);
  if (p !== null) throw new RangeError(`${what}: ${p}`);
}

function prepare(rle: Rle, what: string): Prepared {
  check(rle, what);
  const c = rle.counts;
  const ends = new Uint32Array(c.length);
  let s = 0;
  let a = 0;
  let canonical = true;
  for (let j = 0; j < c.length; j++) {
    const v = c[j];
    s += v;
    ends[j] = s;
    if (j & 1) a += v;
    if (v === 0 && j > 0) canonical = false;
  }
  return { rle, ends, area: a, box: toBbox(rle), canonical };
}

/** First 1-run (odd index) of `p` ending after position `lo`. */
function firstRun(p: Prepared, lo: number): number {
  const e = p.ends;
  let a = 0;
  let b = e.length; // smallest j with e[j] > lo, in [a, b]
  while (a < b) {
    const mid = (a + b) >>> 1;
    if (e[mid] > lo) b = mid;
    else a = mid + 1;
  }
  return a | 1;
}

/** |A n B| counted over the 1-runs of both that start before `hi`, from position `lo` on. */
function intersect(A: Prepared, B: Prepared, lo: number, hi: number): number {
  const ea = A.ends;
  const eb = B.ends;
  const ka = ea.length;
  const kb = eb.length;
  let ia = firstRun(A, lo);
  let ib = firstRun(B, lo);
  let inter = 0;
  while (ia < ka && ib < kb) {
    const sa = ea[ia - 1];
    const sb = eb[ib - 1];
    if (sa >= hi || sb >= hi) break;
    const fa = ea[ia];
    const fb = eb[ib];
    const s = sa > sb ? sa : sb;
    const f = fa < fb ? fa : fb;
    if (f > s) inter += f - s;
    if (fa <= fb) ia += 2;
    else ib += 2;
  }
  return inter;
}

/** The run walk of rleIou for one (dt, gt) pair of equal size, exactly as the C does it. */
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
