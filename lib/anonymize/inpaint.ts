// Inpainting anonymization: the region is removed and filled from its surroundings with
// Telea's fast-marching method (A. Telea, "An Image Inpainting Technique Based on the Fast
// Marching Method", J. Graphics Tools 9(1), 2004), computed as OpenCV's
// cv2.inpaint(img, mask, radius, cv2.INPAINT_TELEA) computes it (modules/photo/src/inpaint.cpp):
//
// 1. Distances T: the band (known pixels 4-adjacent to the region) starts at T = 0. A first
//    march runs outward over the known pixels within `radius` (Chebyshev) of the region and
//    stores their distances negated; a second march runs inward, region pixel by region pixel in
//    order of increasing T (ties: first pushed, first popped), T from OpenCV's
//    FastMarching_solve (the 4 quadrant solutions of |grad T| = 1, smallest kept).
// 2. Each region pixel, when reached, gets per channel
//      value = rint( sum(w I) / sum(w) + (Jx + Jy) / |J| + 0.5 )   clamped to 0..255,
//    over the known (or already filled) pixels q within Euclidean distance `radius`, with
//    w = |dst * lev * dir|: dst = 1 / |r|^3, lev = 1 / (1 + |T(q) - T(p)|), dir = r . grad T
//    (replaced by 1e-6 when |dir| <= 0.01), r = p - q; J = -sum(w * gradI(q) * r) per axis, gradI
//    from the neighbours that are known (centred difference times 2, as OpenCV has it, or
//    one-sided). All arithmetic follows OpenCV's float32/float64 mix (Math.fround where OpenCV
//    computes in float), so the result equals OpenCV's byte for byte (see below for the border).
//
// Deliberate differences from OpenCV, so that nothing under the mask can reach the output:
// - the region is cleared (0) before marching, and every read is of a known or already-filled pixel;
// - for a source pixel in the first image row OpenCV 4.x reads its value and its x-gradient
//   from the second row (likewise the first column from the second), which can be a pixel under
//   the mask; here they are read at their true position. (OpenCV 3.x, in addition, never
//   filled region pixels in the first row and column.) When no region pixel lies within
//   `radius` of the first row or column the result is OpenCV 4.x's exactly; with OpenCV's
//   reads restored, it equals
//   cv2.inpaint(image with the region set to 0, mask, radius, INPAINT_TELEA) everywhere.
// The centred image gradient is (right - left) * 2, not / 2: OpenCV's, kept for parity; the
// J term adds at most sqrt(2) grey levels, so a uniform surround comes back within about 2
// levels of its value rather than exactly (e.g. 127 -> 126..129, as OpenCV gives).
// A mask covering the whole image leaves nothing to fill from: the region stays cleared (0).
import type { Image } from '../data/image.ts';
import { checkMask } from './region-mask.ts';
import { roundHalfEven } from '../data/round-half-even.ts';

export interface InpaintOptions {
  /** Neighbourhood radius in pixels (OpenCV inpaintRadius; rounded, clamped to 1..100). Default 5. */
  radius?: number;
}

export const INPAINT_DEFAULTS = { radius: 5 };

const KNOWN = 0;
const BAND = 1;
const INSIDE = 2;
const CHANGE = 3;

const fr = Math.fround;

/** Min-queue of pixel indices keyed by (T, push order): OpenCV's sorted list pops the same order. */
class MarchQueue {
  private idx: Int32Array;
  private key: Float64Array;
  private seq: Float64Array;
  private n = 0;
  private pushes = 0;
  constructor(capacity: number) {
    this.idx = new Int32Array(Math.max(capacity, 16));
    this.key = new Float64Array(this.idx.length);
    this.seq = new Float64Array(this.idx.length);
  }
  get size(): number {
    return this.n;
  }
  private less(a: number, b: number): boolean {
    const ka = this.key[a]!;
    const kb = this.key[b]!;
    return ka < kb || (ka === kb && this.seq[a]! < this.seq[b]!);
  }
  private swap(a: number, b: number): void {
    const i = this.idx[a]!;
    this.idx[a] = this.idx[b]!;
    this.idx[b] = i;
    const k = this.key[a]!;
    this.key[a] = this.key[b]!;
    this.key[b] = k;
    const s = this.seq[a]!;
    this.seq[a] = this.seq[b]!;
    this.seq[b] = s;
  }
  push(p: number, t: number): void {
    if (this.n === this.idx.length) {
      const cap = this.n * 2;
      const idx = new Int32Array(cap);
      idx.set(this.idx);
      const key = new Float64Array(cap);
      key.set(this.key);
      const seq = new Float64Array(cap);
      seq.set(this.seq);
      this.idx = idx;
      this.key = key;
      this.seq = seq;
    }
    let i = this.n++;
    this.idx[i] = p;
    this.key[i] = t;
    this.seq[i] = this.pushes++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }
  pop(): number {
    const top = this.idx[0]!;
    this.n--;
    if (this.n > 0) {
      this.swap(0, this.n);
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < this.n && this.less(l, m)) m = l;
        if (r < this.n && this.less(r, m)) m = r;
        if (m === i) break;
        this.swap(i, m);
        i = m;
      }
    }
    return top;
  }
}

/** OpenCV FastMarching_solve for pixel indices a, b in the bordered grid (double, then float). */
function solve(a: number, b: number, f: Uint8Array, t: Float32Array): number {
  const a11 = t[a]!;
  const a22 = t[b]!;
  const m12 = Math.min(a11, a22);
  let sol: number;
  if (f[a] !== INSIDE) {
    if (f[b] !== INSIDE) {
      if (Math.abs(a11 - a22) >= 1.0) sol = 1 + m12;
      else sol = (a11 + a22 + Math.sqrt(2 - (a11 - a22) * (a11 - a22))) * 0.5;
    } else sol = 1 + a11;
  } else if (f[b] !== INSIDE) sol = 1 + a22;
  else sol = 1 + m12;
  return fr(sol);
}

function min4(a: number, b: number, c: number, d: number): number {
  return Math.min(Math.min(a, b), Math.min(c, d));
}

function arrival(p: number, EW: number, f: Uint8Array, t: Float32Array): number {
  return min4(solve(p - EW, p - 1, f, t), solve(p + EW, p - 1, f, t), solve(p - EW, p + 1, f, t), solve(p + EW, p + 1, f, t));
}

export function inpaint(img: Image, mask: Uint8Array, opts: InpaintOptions = {}): Image {
  checkMask(img, mask);
  const radiusIn = opts.radius ?? INPAINT_DEFAULTS.radius;
  if (!Number.isFinite(radiusIn)) throw new Error(`inpaint: radius must be a number, got ${radiusIn}`);
  const range = Math.min(100, Math.max(1, roundHalfEven(radiusIn)));
  const { width: W, height: H, channels: C } = img;
  const EW = W + 2;
  const EH = H + 2;
  const N = EW * EH;

  // The working image: known pixels as given, the region cleared.
  const out = new Uint8Array(img.data);
  let regionCount = 0;
  for (let p = 0; p < W * H; p++) {
    if (mask[p] === 0) continue;
    regionCount++;
    for (let c = 0; c < C; c++) out[p * C + c] = 0;
  }
  const result: Image = { width: W, height: H, channels: C, data: out };
  if (regionCount === 0) return result;

  // Bordered grids (one pixel of border all round): flags and distances.
  const inMask = new Uint8Array(N);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) if (mask[y * W + x] !== 0) inMask[(y + 1) * EW + x + 1] = 1;
  const f = new Uint8Array(N); // KNOWN
  const t = new Float32Array(N).fill(1.0e6);
  const heap = new MarchQueue(regionCount * 2 + 16);
  // Band: known image pixels 4-adjacent to the region, pushed in raster order with T = 0.
  for (let y = 1; y <= H; y++) {
    for (let x = 1; x <= W; x++) {
      const p = y * EW + x;
      if (inMask[p]) {
        f[p] = INSIDE;
        continue;
      }
      if (inMask[p - 1] || inMask[p + 1] || inMask[p - EW] || inMask[p + EW]) {
        f[p] = BAND;
        t[p] = 0;
        heap.push(p, 0);
      }
    }
  }

  // Outward march over the known pixels within Chebyshev distance `range` of the region.
  {
    const ring = new Uint8Array(N);
    // Square dilation of the region by `range` (OpenCV dilates with a (2r+1)^2 rectangle):
    // row-wise through prefix counts, then column-wise.
    const rowDil = new Uint8Array(N);
    const pre = new Int32Array(Math.max(W, H) + 1);
    for (let y = 1; y <= H; y++) {
      for (let x = 1; x <= W; x++) pre[x] = pre[x - 1]! + inMask[y * EW + x]!;
      for (let x = 1; x <= W; x++) if (pre[Math.min(W, x + range)]! - pre[Math.max(0, x - range - 1)]! > 0) rowDil[y * EW + x] = 1;
    }
    for (let x = 1; x <= W; x++) {
      for (let y = 1; y <= H; y++) pre[y] = pre[y - 1]! + rowDil[y * EW + x]!;
      for (let y = 1; y <= H; y++) if (pre[Math.min(H, y + range)]! - pre[Math.max(0, y - range - 1)]! > 0) ring[y * EW + x] = 1;
    }
    const fo = new Uint8Array(N);
    const q = new MarchQueue(1024);
    for (let p = 0; p < N; p++) if (ring[p] && !inMask[p] && f[p] !== BAND) fo[p] = INSIDE;
    for (let y = 1; y <= H; y++) for (let x = 1; x <= W; x++) if (f[y * EW + x] === BAND) q.push(y * EW + x, 0);
    while (q.size > 0) {
      const pp = q.pop();
      fo[pp] = CHANGE;
      const nb = [pp - EW, pp - 1, pp + EW, pp + 1];
      for (const p of nb) {
        const i = Math.floor(p / EW);
        const j = p - i * EW;
        if (i <= 0 || j <= 0 || i > EH - 1 || j > EW - 1) continue;
        if (fo[p] === INSIDE) {
          const d = arrival(p, EW, fo, t);
          t[p] = d;
          fo[p] = BAND;
          q.push(p, d);
        }
      }
    }
    for (let p = 0; p < N; p++) if (fo[p] === CHANGE) t[p] = -t[p]!;
  }

  // Inward march, filling each region pixel when it is reached.
  const r2 = range * range;
  const Ia = new Float64Array(C);
  const Jx = new Float64Array(C);
  const Jy = new Float64Array(C);
  const pix = (y: number, x: number, c: number) => out[(y * W + x) * C + c]!;
  while (heap.size > 0) {
    const pp = heap.pop();
    f[pp] = KNOWN;
    const nb0 = pp - EW;
    const nb1 = pp - 1;
    const nb2 = pp + EW;
    const nb3 = pp + 1;
    for (let q = 0; q < 4; q++) {
      const p = q === 0 ? nb0 : q === 1 ? nb1 : q === 2 ? nb2 : nb3;
      if (f[p] !== INSIDE) continue; // border cells are never INSIDE
      const i = Math.floor(p / EW);
      const j = p - i * EW;
      const dist = arrival(p, EW, f, t);
      t[p] = dist;
      const tij = t[p]!;
      // grad T from the known neighbours
      let gtx = 0;
      let gty = 0;
      if (f[p + 1] !== INSIDE) {
        gtx = f[p - 1] !== INSIDE ? fr(fr(t[p + 1]! - t[p - 1]!) * 0.5) : fr(t[p + 1]! - tij);
      } else if (f[p - 1] !== INSIDE) gtx = fr(tij - t[p - 1]!);
      if (f[p + EW] !== INSIDE) {
        gty = f[p - EW] !== INSIDE ? fr(fr(t[p + EW]! - t[p - EW]!) * 0.5) : fr(t[p + EW]! - tij);
      } else if (f[p - EW] !== INSIDE) gty = fr(tij - t[p - EW]!);

      Ia.fill(0);
      Jx.fill(0);
      Jy.fill(0);
      let s = fr(1.0e-20);
      const kLo = Math.max(1, i - range);
      const kHi = Math.min(EH - 2, i + range);
      const lLo = Math.max(1, j - range);
      const lHi = Math.min(EW - 2, j + range);
      for (let k = kLo; k <= kHi; k++) {
        const y = k - 1; // image row of the source pixel
        const yd = Math.min(y + 1, H - 1);
        const yu = Math.max(y - 1, 0);
        for (let l = lLo; l <= lHi; l++) {
          const pq = k * EW + l;
          if (f[pq] === INSIDE) continue;
          const dk = k - i;
          const dl = l - j;
          if (dl * dl + dk * dk > r2) continue;
          const ry = i - k;
          const rx = j - l;
          const len = rx * rx + ry * ry;
          const dst = fr(1 / (len * Math.sqrt(len)));
          const lev = fr(1 / fr(1 + Math.abs(fr(t[pq]! - tij))));
          let dir = fr(fr(rx * gtx) + fr(ry * gty));
          if (Math.abs(dir) <= 0.01) dir = fr(0.000001);
          const w = Math.abs(fr(fr(dst * lev) * dir));
          const x = l - 1; // image column of the source pixel
          const xr = Math.min(x + 1, W - 1);
          const xl = Math.max(x - 1, 0);
          const right = f[pq + 1] !== INSIDE;
          const left = f[pq - 1] !== INSIDE;
          const down = f[pq + EW] !== INSIDE;
          const up = f[pq - EW] !== INSIDE;
          for (let c = 0; c < C; c++) {
            const v = pix(y, x, c);
            let gix = 0;
            if (right) gix = left ? (pix(y, xr, c) - pix(y, xl, c)) * 2 : pix(y, xr, c) - v;
            else if (left) gix = v - pix(y, xl, c);
            let giy = 0;
            if (down) giy = up ? (pix(yd, x, c) - pix(yu, x, c)) * 2 : pix(yd, x, c) - v;
            else if (up) giy = v - pix(yu, x, c);
            Ia[c] = fr(Ia[c]! + fr(w * v));
            Jx[c] = fr(Jx[c]! - fr(w * fr(gix * rx)));
            Jy[c] = fr(Jy[c]! - fr(w * fr(giy * ry)));
          }
          s = fr(s + w);
        }
      }
      const o = ((i - 1) * W + (j - 1)) * C;
      for (let c = 0; c < C; c++) {
        const jx = Jx[c]!;
        const jy = Jy[c]!;
        const norm = fr(Math.sqrt(fr(fr(jx * jx) + fr(jy * jy))));
        const sat = fr(fr(fr(Ia[c]! / s) + fr(fr(jx + jy) / fr(norm + fr(1.0e-20)))) + 0.5);
        out[o + c] = Math.min(255, Math.max(0, roundHalfEven(sat)));
      }
      f[p] = BAND;
      heap.push(p, dist);
    }
  }
  return result;
}
