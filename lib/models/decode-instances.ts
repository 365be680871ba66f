// Instances from the instances model's maps, as Panoptic-DeepLab groups them (Cheng et al. 2020):
// instance centres are the peaks of the centre heatmap; every pixel whose semantic argmax is a
// thing class votes for the centre nearest to where its offset points (pixel + offset), optionally
// only when that centre is within maxVoteDistance of the point; an instance is the set of pixels
// of one centre. Its class is the majority vote of its pixels'
// semantic argmax (ties: the lower class index), its score the centre's heatmap value times the
// mean probability of that class over its pixels, its box the pixels' extent, or, when the model
// regresses boxes (`box` map), the box read at the centre, which then also bounds the mask.
// All maps share one resolution; coordinates are pixel indices of that grid.
import { findPeaks } from './peaks.ts';

export interface InstanceMaps {
  width: number;
  height: number;
  numClasses: number;
  /** Class probabilities [h*w*numClasses]. */
  semantic: Float32Array;
  /** Centre heatmap probabilities [h*w]. */
  center: Float32Array;
  /** (dy, dx) from each pixel to its centre, in pixels of this grid [h*w*2]. */
  offset: Float32Array;
  /** Optional distances (left, top, right, bottom) from each pixel to its instance's box edges,
   * in pixels of this grid [h*w*4]. */
  box?: Float32Array;
}

export interface InstanceDecodeOptions {
  thingClasses: readonly number[];
  /** Minimum heatmap value of a centre (default 0.1, as Panoptic-DeepLab). */
  threshold?: number;
  /** NMS window radius in pixels (default 1: 3x3). */
  nmsRadius?: number;
  /** Most centres kept (default 100). */
  topK?: number;
  /** Instances with fewer pixels are dropped (default 1). */
  minPixels?: number;
  /** A thing pixel whose pixel + offset lands farther than this from every centre joins none
   * (default Infinity: every thing pixel joins its nearest centre, as Panoptic-DeepLab). */
  maxVoteDistance?: number;
}

export interface DecodedInstance {
  classIndex: number;
  score: number;
  /** The centre peak. */
  centerX: number;
  centerY: number;
  centerScore: number;
  /** Row-major pixel indices of the mask. */
  pixels: Int32Array;
  /** [x, y, w, h] over the pixels (a pixel covers [x, x+1)). */
  box: [number, number, number, number];
}

export function decodeInstances(m: InstanceMaps, opts: InstanceDecodeOptions): DecodedInstance[] {
  const { width: w, height: h, numClasses: C } = m;
  const n = w * h;
  if (m.semantic.length !== n * C) throw new RangeError(`semantic map has ${m.semantic.length} values, expected ${n} x ${C}`);
  if (m.center.length !== n) throw new RangeError(`centre map has ${m.center.length} values, expected ${n}`);
  if (m.offset.length !== 2 * n) throw new RangeError(`offset map has ${m.offset.length} values, expected ${n} x 2`);
  if (m.box && m.box.length !== 4 * n) throw new RangeError(`box map has ${m.box.length} values, expected ${n} x 4`);

  const isThing = new Uint8Array(C);
  for (const c of opts.thingClasses) {
    if (!Number.isInteger(c) || c < 0 || c >= C) throw new RangeError(`thing class ${c} is not in [0, ${C})`);
    isThing[c] = 1;
  }
  const peaks = findPeaks(m.center, w, h, opts.nmsRadius ?? 1, opts.threshold ?? 0.1, opts.topK ?? 100);
  const K = peaks.length;
  if (K === 0) return [];
  const boxes = m.box
    ? peaks.map((pk) => {
        const q = 4 * (pk.y * w + pk.x);
        const clip = (v: number, hi: number) => Math.min(hi - 0.5, Math.max(-0.5, v));
        return [clip(pk.x - m.box![q], w), clip(pk.y - m.box![q + 1], h), clip(pk.x + m.box![q + 2], w), clip(pk.y + m.box![q + 3], h)];
      })
    : [];
  // semantic argmax (first maximum) and the assignment of thing pixels to centres
  const owner = new Int32Array(n).fill(-1);
  const maxD = opts.maxVoteDistance ?? Infinity;
  const maxD2 = maxD * maxD;
  const argmax = new Int32Array(n);
  const count = new Int32Array(K);
  for (let p = 0; p < n; p++) {
    let best = 0;
    let bv = m.semantic[p * C];
    for (let c = 1; c < C; c++) {
      const v = m.semantic[p * C + c];
      if (v > bv) {
        bv = v;
        best = c;
      }
    }
    argmax[p] = best;
    if (!isThing[best]) continue;
    const py = Math.floor(p / w) + m.offset[2 * p];
    const px = (p % w) + m.offset[2 * p + 1];
    let bk = 0;
    let bd = Infinity;
    for (let k = 0; k < K; k++) {
      const d = (peaks[k].x - px) ** 2 + (peaks[k].y - py) ** 2;
      if (d < bd) {
        bd = d;
        bk = k;
      }
    }
    if (bd > maxD2) continue;
    if (boxes.length) {
      const b = boxes[bk];
      const x = p % w;
      const y = (p - x) / w;
      if (x < b[0] || x > b[2] || y < b[1] || y > b[3]) continue;
    }
    owner[p] = bk;
    count[bk]++;
  }
  const minPixels = opts.minPixels ?? 1;
  const pixels = Array.from({ length: K }, (_, k) => new Int32Array(count[k]));
  const fill = new Int32Array(K);
  for (let p = 0; p < n; p++) if (owner[p] >= 0) pixels[owner[p]][fill[owner[p]]++] = p;
  const out: DecodedInstance[] = [];
  const votes = new Int32Array(C);
  for (let k = 0; k < K; k++) {
    const px = pixels[k];
    if (px.length < Math.max(1, minPixels)) continue;
    votes.fill(0);
    let x0 = w;
    let y0 = h;
    let x1 = -1;
    let y1 = -1;
    for (const p of px) {
      votes[argmax[p]]++;
      const x = p % w;
      const y = (p - x) / w;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
    let cls = 0;
    for (let c = 1; c < C; c++) if (votes[c] > votes[cls]) cls = c;
    let prob = 0;
    for (const p of px) prob += m.semantic[p * C + cls];
    prob /= px.length;
    const pk = peaks[k];
    let box: [number, number, number, number] = [x0, y0, x1 - x0 + 1, y1 - y0 + 1];
    if (boxes.length) {
      // edges e in index coordinates are pixel-edge coordinates e + 0.5
      const b = boxes[k];
      box = [b[0] + 0.5, b[1] + 0.5, b[2] - b[0], b[3] - b[1]];
    }
    out.push({ classIndex: cls, score: pk.score * prob, centerX: pk.x, centerY: pk.y, centerScore: pk.score, pixels: px, box });
  }
  out.sort((a, b) => b.score - a.score);
  return out;
}
