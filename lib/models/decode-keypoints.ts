// People and their 17 keypoints from the keypoints model's maps, grouped as CenterNet's multi-pose
// decoder does (Zhou et al. 2019): person centres are peaks of the centre heatmap; each centre
// regresses its keypoints (centre + offset); each keypoint then snaps to the nearest peak of its
// own heatmap (refined by the sub-pixel local offset) when that peak lies inside the person's
// box and within snapRatio * max(box w, h) of the regressed point; otherwise the regressed point
// stays (or, with fallback 'box-max', the keypoint goes to its heatmap's maximum inside the box).
// A keypoint's score is the heatmap value where it lands; the person's score is the centre's
// heatmap value.
// All maps share one resolution; coordinates are continuous in that grid's pixel-index units
// (pixel (x, y)'s centre is at (x, y)).
import { findPeaks, type Peak } from './peaks.ts';

export interface KeypointMaps {
  width: number;
  height: number;
  /** Person-centre heatmap probabilities [h*w]. */
  center: Float32Array;
  /** Keypoint heatmap probabilities [h*w*17]. */
  keypoints: Float32Array;
  /** (dx, dy) from the centre to each keypoint in grid pixels [h*w*34]. */
  offsets: Float32Array;
  /** Box (w, h) in grid pixels [h*w*2]. */
  size: Float32Array;
  /** Sub-pixel (dx, dy) of a keypoint in its peak pixel [h*w*2] (optional). */
  local?: Float32Array;
}

export interface KeypointDecodeOptions {
  /** Minimum centre heatmap value (default 0.1). */
  threshold?: number;
  /** Minimum keypoint heatmap value of a peak to snap to (default 0.1). */
  keypointThreshold?: number;
  /** NMS window radius (default 1: 3x3). */
  nmsRadius?: number;
  /** Most people kept (default 20, COCO's keypoint maxDets). */
  topK?: number;
  /** Most peaks per keypoint type (default 100). */
  keypointTopK?: number;
  /** Snap distance limit as a fraction of max(box w, h) (default 0.3, CenterNet's). */
  snapRatio?: number;
  /** Where an unsnapped keypoint goes: the regressed point (default, CenterNet) or 'box-max',
   * the maximum of its heatmap inside the person's box (refined by the local offset). */
  fallback?: 'regressed' | 'box-max';
}

export interface DecodedPerson {
  score: number;
  centerX: number;
  centerY: number;
  /** [x, y, w, h] from the size regression around the centre. */
  box: [number, number, number, number];
  /** 17 x (x, y, score). */
  keypoints: Float32Array;
  /** Per keypoint: whether it snapped to a heatmap peak. */
  snapped: boolean[];
}

export function decodeKeypoints(m: KeypointMaps, opts: KeypointDecodeOptions = {}): DecodedPerson[] {
  const { width: w, height: h } = m;
  const n = w * h;
  const check = (name: string, a: Float32Array | undefined, c: number) => {
    if (a && a.length !== n * c) throw new RangeError(`${name} map has ${a.length} values, expected ${n} x ${c}`);
  };
  check('centre', m.center, 1);
  check('keypoint', m.keypoints, 17);
  check('offset', m.offsets, 34);
  check('size', m.size, 2);
  check('local', m.local, 2);
  const r = opts.nmsRadius ?? 1;
  const centers = findPeaks(m.center, w, h, r, opts.threshold ?? 0.1, opts.topK ?? 20);
  if (centers.length === 0) return [];
  const kth = opts.keypointThreshold ?? 0.1;
  const ktop = opts.keypointTopK ?? 100;
  const snapRatio = opts.snapRatio ?? 0.3;
  const peaks: { x: number; y: number; score: number }[][] = [];
  for (let j = 0; j < 17; j++) {
    peaks.push(
      findPeaks(m.keypoints, w, h, r, kth, ktop, j, 17).map((p: Peak) => {
        const q = p.y * w + p.x;
        return { x: p.x + (m.local ? m.local[2 * q] : 0), y: p.y + (m.local ? m.local[2 * q + 1] : 0), score: p.score };
      }),
    );
  }
  const out: DecodedPerson[] = [];
  for (const c of centers) {
    const q = c.y * w + c.x;
    const bw = Math.max(0, m.size[2 * q]);
    const bh = Math.max(0, m.size[2 * q + 1]);
    const box: [number, number, number, number] = [c.x - bw / 2, c.y - bh / 2, bw, bh];
    const limit = snapRatio * Math.max(bw, bh);
    const kps = new Float32Array(51);
    const snapped: boolean[] = [];
    for (let j = 0; j < 17; j++) {
      const rx = c.x + m.offsets[34 * q + 2 * j];
      const ry = c.y + m.offsets[34 * q + 2 * j + 1];
      let best: { x: number; y: number; score: number } | undefined;
      let bd = Infinity;
      for (const p of peaks[j]) {
        if (p.x < box[0] || p.x > box[0] + bw || p.y < box[1] || p.y > box[1] + bh) continue;
        const d = Math.hypot(p.x - rx, p.y - ry);
        if (d < bd) {
          bd = d;
          best = p;
        }
      }
      if (best && bd <= limit) {
        kps.set([best.x, best.y, best.score], 3 * j);
        snapped.push(true);
      } else if (opts.fallback === 'box-max' && bw > 0 && bh > 0) {
        let bv = -Infinity;
        let bx = 0;
        let by = 0;
        for (let y = Math.max(0, Math.ceil(box[1])); y <= Math.min(h - 1, Math.floor(box[1] + bh)); y++) {
          for (let x = Math.max(0, Math.ceil(box[0])); x <= Math.min(w - 1, Math.floor(box[0] + bw)); x++) {
            const v = m.keypoints[(y * w + x) * 17 + j];
            if (v > bv) {
              bv = v;
              bx = x;
              by = y;
            }
          }
        }
        if (bv === -Infinity) {
          bx = Math.min(w - 1, Math.max(0, Math.round(c.x)));
          by = Math.min(h - 1, Math.max(0, Math.round(c.y)));
          bv = m.keypoints[(by * w + bx) * 17 + j];
        }
        const q2 = by * w + bx;
        kps.set([bx + (m.local ? m.local[2 * q2] : 0), by + (m.local ? m.local[2 * q2 + 1] : 0), bv], 3 * j);
        snapped.push(false);
      } else {
        const ix = Math.min(w - 1, Math.max(0, Math.round(rx)));
        const iy = Math.min(h - 1, Math.max(0, Math.round(ry)));
        kps.set([rx, ry, m.keypoints[(iy * w + ix) * 17 + j]], 3 * j);
        snapped.push(false);
      }
    }
    out.push({ score: c.score, centerX: c.x, centerY: c.y, box, keypoints: kps, snapped });
  }
  return out;
}
