// Polygon -> RLE, following pycocotools rleFrPoly step by step so that the result is
// bit-identical: vertices are scaled by 5 and rounded with C's (int)(v + .5) (truncation toward
// zero, so negative coordinates round differently from floor); each edge is walked pixel by
// pixel on the 5x grid; the points where the walk changes x column are mapped back to pixel
// columns, keeping only columns whose centre is hit exactly and lie inside 0..w-1, and the row
// is clamped to 0..h and ceiled; each such (x, y) toggles inside/outside at column-major index
// x*h + y, and toggles at the same index cancel in pairs.
import type { Rle } from '../types.ts';

const SCALE = 5;

/** RLE of polygon xy = [x0, y0, x1, y1, ...] (an odd trailing number is ignored, as in C). */
export function frPoly(xy: ArrayLike<number>, h: number, w: number): Rle {
  if (!Number.isInteger(h) || h < 0 || !Number.isInteger(w) || w < 0) throw new RangeError(`frPoly: bad size ${h} x ${w}`);
  const k = xy.length >> 1;
  for (let j = 0; j < 2 * k; j++) {
    if (!Number.isFinite(xy[j])) throw new RangeError(`frPoly: coordinate ${j} is ${xy[j]}`);
  }
  if (h * w === 0 || k === 0) return { h, w, counts: Uint32Array.of(h * w) };
  // 1. Upsample and collect integer points densely along the closed boundary.
  const x = new Int32Array(k + 1);
  const y = new Int32Array(k + 1);
  for (let j = 0; j < k; j++) x[j] = Math.trunc(SCALE * xy[j * 2] + 0.5);
  for (let j = 0; j < k; j++) y[j] = Math.trunc(SCALE * xy[j * 2 + 1] + 0.5);
  x[k] = x[0];
  y[k] = y[0];
  let n = 0;
  for (let j = 0; j < k; j++) n += Math.max(Math.abs(x[j] - x[j + 1]), Math.abs(y[j] - y[j + 1])) + 1;
  const u = new Int32Array(n);
  const v = new Int32Array(n);
  n = 0;
  for (let j = 0; j < k; j++) {
    let xs = x[j];
    let xe = x[j + 1];
    let ys = y[j];
    let ye = y[j + 1];
    const dx = Math.abs(xe - xs);
    const dy = Math.abs(ys - ye);
    const flip = (dx >= dy && xs > xe) || (dx < dy && ys > ye);
    if (flip) {
      let t = xs;
      xs = xe;
      xe = t;
      t = ys;
      ys = ye;
      ye = t;
    }
    // A zero-length edge gives s = NaN and one point whose other coordinate is garbage in C
    // (and 0 here); that point lies between two copies of the same vertex, so its column never
    // differs from its neighbours' and step 2 never reads it.
    if (dx >= dy) {
      const s = (ye - ys) / dx;
      for (let d = 0; d <= dx; d++) {
        const t = flip ? dx - d : d;
        u[n] = t + xs;
        v[n] = Math.trunc(ys + s * t + 0.5);
        n++;
      }
    } else {
      const s = (xe - xs) / dy;
      for (let d = 0; d <= dy; d++) {
        const t = flip ? dy - d : d;
        v[n] = t + ys;
        u[n] = Math.trunc(xs + s * t + 0.5);
        n++;
      }
    }
  }
  // 2. Keep the points where the boundary crosses a pixel column centre; downsample.
  const px = new Int32Array(n);
  const py = new Int32Array(n);
  let m = 0;
  for (let j = 1; j < n; j++) {
    if (u[j] === u[j - 1]) continue;
    let xd = u[j] < u[j - 1] ? u[j] : u[j] - 1;
    xd = (xd + 0.5) / SCALE - 0.5;
    if (Math.floor(xd) !== xd || xd < 0 || xd > w - 1) continue;
    let yd = v[j] < v[j - 1] ? v[j] : v[j - 1];
    yd = (yd + 0.5) / SCALE - 0.5;
    if (yd < 0) yd = 0;
    else if (yd > h) yd = h;
    yd = Math.ceil(yd);
    px[m] = xd;
    py[m] = yd;
    m++;
  }
  // 3. Sort the toggle positions (column-major indices) and turn them into runs.
  const a = new Uint32Array(m + 1);
  for (let j = 0; j < m; j++) a[j] = px[j] * h + py[j];
  a[m] = h * w;
  a.sort();
  const len = m + 1;
  let prev = 0;
  for (let j = 0; j < len; j++) {
    const t = a[j];
    a[j] = t - prev;
    prev = t;
  }
  const b = new Uint32Array(len);
  let j = 0;
  let bm = 0;
  b[bm++] = a[j++];
  while (j < len) {
    if (a[j] > 0) b[bm++] = a[j++];
    else {
      j++;
      if (j < len) b[bm - 1] += a[j++];
    }
  }
  return { h, w, counts: b.slice(0, bm) };
}
