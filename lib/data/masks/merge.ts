// Union or intersection of RLEs, following pycocotools rleMerge (including its handling of a
// single input, which is returned as a copy, and of zero inputs, which give an empty 0x0 RLE).
import type { Rle } from '../types.ts';
import { assertRle } from './validate.ts';

/**
 * Merges RLEs of one size. pycocotools silently returns a 0x0 RLE when the sizes differ; here
 * that is a RangeError, since it always means a caller mixed masks of different images.
 */
export function merge(rles: readonly Rle[], intersect = false): Rle {
  const n = rles.length;
  if (n === 0) return { h: 0, w: 0, counts: new Uint32Array(0) };
  const { h, w } = rles[0];
  if (n === 1) return { h, w, counts: rles[0].counts.slice() };
  for (let i = 0; i < n; i++) {
    assertRle(rles[i], `merge: rles[${i}]`);
    if (rles[i].h !== h || rles[i].w !== w) {
      throw new RangeError(`merge: rles[${i}] is ${rles[i].h} x ${rles[i].w}, rles[0] is ${h} x ${w}`);
    }
  }
  let A = rles[0].counts;
  for (let i = 1; i < n; i++) {
    const B = rles[i].counts;
    const out = new Uint32Array(A.length + B.length + 2);
    let m = 0;
    let ca = A[0];
    let cb = B[0];
    let v = false;
    let va = false;
    let vb = false;
    let a = 1;
    let b = 1;
    let cc = 0;
    let ct = 1;
    while (ct > 0) {
      const c = ca < cb ? ca : cb;
      cc += c;
      ca -= c;
      if (ca === 0 && a < A.length) {
        ca = A[a++];
        va = !va;
      }
      cb -= c;
      if (cb === 0 && b < B.length) {
        cb = B[b++];
        vb = !vb;
      }
      ct = (ca + cb) >>> 0;
      const vp: boolean = v;
      v = intersect ? va && vb : va || vb;
      if (v !== vp || ct === 0) {
        out[m++] = cc;
        cc = 0;
      }
    }
    A = out.slice(0, m);
  }
  return { h, w, counts: A };
}
