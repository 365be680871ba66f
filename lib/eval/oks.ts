// Object keypoint similarity, following pycocotools COCOeval.computeOks operation for operation:
//   var_k = (2 sigma_k)^2,  e_k = (dx_k^2 + dy_k^2) / var_k / (gt.area + eps) / 2  (eps = np.spacing(1)),
//   OKS = mean_k exp(-e_k) over the gt's labelled keypoints (v > 0), summed in numpy's order.
// A gt without labelled keypoints is compared through the distance of each detected keypoint to
// the box twice the size of the gt's bbox around it (x0 = x - w, x1 = x + 2w, likewise for y),
// averaged over all keypoints. (exp is the platform's: it may differ from numpy's in the last bit.)
import { pairwiseSum } from './pairwise-sum.ts';

const EPS = 2.220446049250313e-16; // np.spacing(1)

/** Where a set of keypoint rows lives: row r of `kps` starts at rows[r] * 3K (K keypoints). */
export interface OksRows {
  kps: Float64Array;
  rows: ArrayLike<number>;
  /** Offset into `rows` and number of rows used. */
  start: number;
  count: number;
}

/**
 * Row-major D x G OKS between detections and ground truths (pycocotools computeOks, after its
 * sort and cut of the detections). gtBox holds 4 numbers and gtArea 1 per gt table row.
 */
export function oksInto(out: Float64Array, dt: OksRows, gt: OksRows, gtBox: Float64Array, gtArea: Float64Array, sigmas: Float64Array): void {
  const K = sigmas.length;
  const vars = new Float64Array(K);
  for (let k = 0; k < K; k++) {
    const s2 = sigmas[k] * 2;
    vars[k] = s2 * s2;
  }
  const e = new Float64Array(K);
  const D = dt.count;
  const G = gt.count;
  for (let j = 0; j < G; j++) {
    const gr = gt.rows[gt.start + j];
    const go = gr * 3 * K;
    const g = gt.kps;
    let k1 = 0;
    for (let k = 0; k < K; k++) if (g[go + 3 * k + 2] > 0) k1++;
    const bx = gtBox[4 * gr], by = gtBox[4 * gr + 1], bw = gtBox[4 * gr + 2], bh = gtBox[4 * gr + 3];
    const x0 = bx - bw, x1 = bx + bw * 2;
    const y0 = by - bh, y1 = by + bh * 2;
    const denom = gtArea[gr] + EPS;
    for (let i = 0; i < D; i++) {
      const d = dt.kps;
      const dO = dt.rows[dt.start + i] * 3 * K;
      let m = 0;
      for (let k = 0; k < K; k++) {
        const xd = d[dO + 3 * k];
        const yd = d[dO + 3 * k + 1];
        let dx: number;
        let dy: number;
        if (k1 > 0) {
          if (!(g[go + 3 * k + 2] > 0)) continue;
          dx = xd - g[go + 3 * k];
          dy = yd - g[go + 3 * k + 1];
        } else {
          dx = Math.max(0, x0 - xd) + Math.max(0, xd - x1);
          dy = Math.max(0, y0 - yd) + Math.max(0, yd - y1);
        }
        e[m++] = Math.exp(-((dx * dx + dy * dy) / vars[k] / denom / 2));
      }
      out[i * G + j] = pairwiseSum(e, 0, m) / m;
    }
  }
}

/**
 * OKS of each detection (row of `dtKps`, 3K numbers) against each ground truth (row of `gtKps`,
 * with its bbox [x, y, w, h] and area): row-major dt x gt.
 */
export function computeOks(dtKps: Float64Array, gtKps: Float64Array, gtBox: Float64Array, gtArea: Float64Array, sigmas: Float64Array): Float64Array {
  const K3 = 3 * sigmas.length;
  const D = dtKps.length / K3;
  const G = gtKps.length / K3;
  if (!Number.isInteger(D) || !Number.isInteger(G)) throw new RangeError(`computeOks: keypoint rows must hold ${K3} numbers`);
  if (gtBox.length !== 4 * G || gtArea.length !== G) throw new RangeError('computeOks: need one bbox and one area per ground truth');
  const out = new Float64Array(D * G);
  const iota = (n: number) => Int32Array.from({ length: n }, (_, i) => i);
  oksInto(out, { kps: dtKps, rows: iota(D), start: 0, count: D }, { kps: gtKps, rows: iota(G), start: 0, count: G }, gtBox, gtArea, sigmas);
  return out;
}
