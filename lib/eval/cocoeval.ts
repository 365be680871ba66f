// COCO detection evaluation with pycocotools' COCOeval semantics (evaluate + accumulate), for
// bbox, segm and keypoints, useCats = 1:
//  - per (image, category), detections sorted by score with a stable sort (np.argsort mergesort)
//    and cut to the largest maxDets; ground truths in file order;
//  - IoU (bbIou / rleIou) or OKS computed once per (image, category);
//  - evaluateImg per area range: gts sorted stably by their ignore flag (ignore = gt ignore, or
//    area outside the range); for each IoU threshold t each detection, best score first, takes
//    the gt of highest IoU >= min(t, 1 - 1e-10) among the gts not yet matched (crowd gts may be
//    matched again), scanning gts in that order and stopping at the first ignored gt once it
//    holds a match to a regular gt; a detection matched to an ignored gt is ignored, an unmatched
//    one is ignored when its own area is outside the range. (As in pycocotools, "matched" is
//    read from the stored gt id, so a match to a gt whose id is 0 counts as no match.)
//  - accumulate per (category, area range, maxDets, threshold): the detections of all images
//    (each image's cut to maxDets) sorted by score with a stable sort over their concatenation
//    in image-id order, cumulative TP and FP counts, recall = tp / npig, precision =
//    tp / (tp + fp + eps), precision made non-increasing from the right, then read at the 101
//    recall thresholds with np.searchsorted(rc, recThrs, side='left'); a threshold beyond the
//    last recall reads 0; a setting without non-ignored gts keeps -1.
// Storage is by typed arrays: detections are grouped by (category, image) with a counting sort,
// each group's IoUs are computed once and used for every area range and threshold, and each
// detection's outcome (TP / FP / ignored) per (area range, threshold) is a byte.
import { DataError, type Rle } from '../data/types.ts';
import { bboxIouFlat, iou as maskIou, segmentationToRle } from '../data/masks/index.ts';
import type { CocoDt, CocoGt, CocoId } from './coco-load.ts';
import { imageSize } from './coco-load.ts';
import type { CocoEvalParams } from './coco-params.ts';
import { oksInto } from './oks.ts';

const EPS = 2.220446049250313e-16; // np.spacing(1)

/** Outcome codes of one detection at one (area range, threshold). */
export const FP = 0;
export const TP = 1;
export const IGNORED = 2;

export interface CocoEvalResult {
  params: CocoEvalParams;
  catIds: CocoId[];
  catNames: string[];
  /** [T, R, K, A, M] */
  counts: [number, number, number, number, number];
  /** precision[t][r][k][a][m] in C order; -1 where the setting has no non-ignored gt. */
  precision: Float64Array;
  /** recall[t][k][a][m] in C order; -1 likewise. */
  recall: Float64Array;
}

/** Index into `precision` (C order over [T, R, K, A, M]). */
export function precisionIndex(c: CocoEvalResult['counts'], t: number, r: number, k: number, a: number, m: number): number {
  const [, R, K, A, M] = c;
  return (((t * R + r) * K + k) * A + a) * M + m;
}

/** Index into `recall` (C order over [T, K, A, M]). */
export function recallIndex(c: CocoEvalResult['counts'], t: number, k: number, a: number, m: number): number {
  const [, , K, A, M] = c;
  return ((t * K + k) * A + a) * M + m;
}

/**
 * pycocotools evaluateImg's greedy matching of one image and category at one threshold.
 * `ious` is row-major D x G with gts in their sorted order (non-ignored first); `gtIgnore` and
 * `gtCrowd` are in that order too. Writes, per detection, the matched gt position or -1 into
 * `dtMatch`; `gtMatched` (length G) must come in zeroed.
 */
export function greedyMatch(
  ious: ArrayLike<number>,
  D: number,
  G: number,
  gtIgnore: ArrayLike<number>,
  gtCrowd: ArrayLike<number>,
  threshold: number,
  dtMatch: Int32Array,
  gtMatched: Uint8Array,
): void {
  const start = Math.min(threshold, 1 - 1e-10);
  for (let d = 0; d < D; d++) {
    let best = start;
    let m = -1;
    const row = d * G;
    for (let g = 0; g < G; g++) {
      if (gtMatched[g] !== 0 && gtCrowd[g] === 0) continue;
      if (m > -1 && gtIgnore[m] === 0 && gtIgnore[g] !== 0) break;
      const v = ious[row + g];
      if (v < best) continue;
      best = v;
      m = g;
    }
    dtMatch[d] = m;
    if (m !== -1) gtMatched[m] = 1;
  }
}

/** Groups table rows by (category, image): CSR start offsets and rows in file order within a group. */
function groupRows(n: number, cat: Int32Array, img: Int32Array, I: number, groups: number): { start: Int32Array; rows: Int32Array } {
  const start = new Int32Array(groups + 1);
  for (let j = 0; j < n; j++) start[cat[j] * I + img[j] + 1]++;
  for (let g = 0; g < groups; g++) start[g + 1] += start[g];
  const fill = start.slice(0, groups);
  const rows = new Int32Array(n);
  for (let j = 0; j < n; j++) rows[fill[cat[j] * I + img[j]]++] = j;
  return { start, rows };
}

/** A ground-truth problem found at load time, thrown where the evaluation needs the field, saying why. */
function needed(e: DataError, why: string): DataError {
  const problem = e.message.slice(`${e.file}: ${e.record}: ${e.field}: `.length);
  return new DataError(e.file, e.record, e.field, `${problem}; needed because ${why}`);
}

/** COCOeval evaluate() + accumulate() of `dt` against `gt` with `params` (see defaultParams(iouType)). */
export function evaluateCoco(gt: CocoGt, dt: CocoDt, params: CocoEvalParams): CocoEvalResult {
  const p = params;
  const iouType = p.iouType;
  const maxDets = [...p.maxDets].sort((a, b) => a - b);
  const maxDet = maxDets[maxDets.length - 1];
  const I = gt.imgIds.length;
  const K = gt.catIds.length;
  const T = p.iouThrs.length;
  const R = p.recThrs.length;
  const A = p.areaRng.length;
  const M = maxDets.length;
  const groups = K * I;
  const ga = gt.anns;
  if (iouType === 'keypoints' && (!ga.keypoints || !dt.keypoints || !ga.bbox)) throw new Error('evaluateCoco: keypoints evaluation needs gt and results loaded for keypoints');
  if (iouType === 'segm' && (!ga.segmentation || !dt.segmentation)) throw new Error('evaluateCoco: segm evaluation needs gt and results loaded for segm');
  if (iouType === 'bbox' && !ga.bbox) throw new Error('evaluateCoco: bbox evaluation needs gt loaded for bbox');

  // Group gts and dts by (category, image); dts sorted by score (stable) and cut to maxDet.
  const G_ = groupRows(ga.n, ga.cat, ga.img, I, groups);
  const D_ = groupRows(dt.n, dt.cat, dt.img, I, groups);
  const score = dt.score;
  const byScore = (a: number, b: number) => score[b] - score[a] || a - b;
  const cutStart = new Int32Array(groups + 1);
  for (let g = 0; g < groups; g++) {
    const s = D_.start[g];
    const e = D_.start[g + 1];
    if (e - s > 1) D_.rows.subarray(s, e).sort(byScore);
    cutStart[g + 1] = cutStart[g] + Math.min(e - s, maxDet);
  }
  const N = cutStart[groups];
  const keptScore = new Float64Array(N);
  const keptRank = new Int32Array(N);
  const status = new Uint8Array(A * T * N);
  const npig = new Float64Array(K * A);

  // Scratch space, grown as needed.
  let ious = new Float64Array(0);
  let gtIgSorted = new Uint8Array(0);
  let gtCrowdSorted = new Uint8Array(0);
  let gtZeroIdSorted = new Uint8Array(0);
  let perm = new Int32Array(0);
  let gtMatched = new Uint8Array(0);
  let dtMatch = new Int32Array(0);
  let dtOut = new Uint8Array(0);
  let dbox = new Float64Array(0);
  let gbox = new Float64Array(0);
  let crowd = new Uint8Array(0);

  for (let k = 0; k < K; k++) {
    for (let i = 0; i < I; i++) {
      const g = k * I + i;
      const gs = G_.start[g];
      const G = G_.start[g + 1] - gs;
      const ds = D_.start[g];
      const D = cutStart[g + 1] - cutStart[g];
      if (G === 0 && D === 0) continue;
      const p0 = cutStart[g];
      for (let d = 0; d < D; d++) {
        keptScore[p0 + d] = score[D_.rows[ds + d]];
        keptRank[p0 + d] = d;
      }
      if (G > gtMatched.length) {
        const n = Math.max(G, 2 * gtMatched.length);
        gtIgSorted = new Uint8Array(n);
        gtCrowdSorted = new Uint8Array(n);
        gtZeroIdSorted = new Uint8Array(n);
        perm = new Int32Array(n);
        gtMatched = new Uint8Array(n);
        crowd = new Uint8Array(n);
      }
      if (D > dtMatch.length) {
        const n = Math.max(D, 2 * dtMatch.length);
        dtMatch = new Int32Array(n);
        dtOut = new Uint8Array(n);
      }
      // IoUs, row-major D x G, gts in file order (empty when either side is empty).
      const haveIous = D > 0 && G > 0;
      if (haveIous) {
        if (ious.length < D * G) ious = new Float64Array(Math.max(D * G, 2 * ious.length));
        for (let j = 0; j < G; j++) crowd[j] = ga.iscrowd[G_.rows[gs + j]];
        if (iouType === 'bbox') {
          if (dbox.length < 4 * D) dbox = new Float64Array(Math.max(4 * D, 2 * dbox.length));
          if (gbox.length < 4 * G) gbox = new Float64Array(Math.max(4 * G, 2 * gbox.length));
          for (let d = 0; d < D; d++) {
            const r = D_.rows[ds + d];
            for (let q = 0; q < 4; q++) dbox[4 * d + q] = dt.bbox[4 * r + q];
          }
          for (let j = 0; j < G; j++) {
            const r = G_.rows[gs + j];
            for (let q = 0; q < 4; q++) gbox[4 * j + q] = ga.bbox![4 * r + q];
          }
          bboxIouFlat(dbox, gbox, D, G, crowd, ious);
        } else if (iouType === 'segm') {
          const [h, w] = imageSize(gt, i, gt.file, `annotations of image ${String(gt.imgIds[i])}`);
          const dm: Rle[] = new Array(D);
          const gm: Rle[] = new Array(G);
          for (let d = 0; d < D; d++) dm[d] = dtMask(dt, D_.rows[ds + d], h, w);
          for (let j = 0; j < G; j++) {
            const r = G_.rows[gs + j];
            gm[j] = segmentationToRle(ga.segmentation![r], h, w, { file: gt.file, record: `annotations[${ga.index[r]}] (id ${ga.id[r]})`, field: 'segmentation' });
          }
          ious.set(maskIou(dm, gm, crowd.subarray(0, G)));
        } else {
          for (let j = 0; j < G; j++) {
            const e = ga.unreadable?.[G_.rows[gs + j]];
            if (e) throw needed(e, `results of category ${String(gt.catIds[k])} (${gt.catNames[k]}) in image ${String(gt.imgIds[i])} are compared with it`);
          }
          oksInto(ious, { kps: dt.keypoints!, rows: D_.rows, start: ds, count: D }, { kps: ga.keypoints!, rows: G_.rows, start: gs, count: G }, ga.bbox!, ga.area, p.kptOksSigmas!);
        }
      }
      for (let a = 0; a < A; a++) {
        const lo = p.areaRng[a][0];
        const hi = p.areaRng[a][1];
        // gts sorted by their ignore flag (stable): non-ignored first.
        let nIn = 0;
        for (let j = 0; j < G; j++) {
          const r = G_.rows[gs + j];
          const ar = ga.area[r];
          if (!(ga.ignore[r] !== 0 || ar < lo || ar > hi)) nIn++;
        }
        npig[k * A + a] += nIn;
        let u = 0;
        let v = nIn;
        for (let j = 0; j < G; j++) {
          const r = G_.rows[gs + j];
          const ar = ga.area[r];
          const ig = ga.ignore[r] !== 0 || ar < lo || ar > hi;
          const pos = ig ? v++ : u++;
          perm[pos] = j;
          gtIgSorted[pos] = ig ? 1 : 0;
          gtCrowdSorted[pos] = ga.iscrowd[r];
          gtZeroIdSorted[pos] = ga.id[r] === 0 ? 1 : 0;
        }
        for (let d = 0; d < D; d++) {
          const ar = dt.area[D_.rows[ds + d]];
          dtOut[d] = ar < lo || ar > hi ? 1 : 0;
        }
        // IoUs with gts in sorted order.
        let sortedIous: Float64Array = ious;
        if (haveIous) {
          let identity = true;
          for (let j = 0; j < G; j++) if (perm[j] !== j) identity = false;
          if (!identity) {
            sortedIous = new Float64Array(D * G);
            for (let d = 0; d < D; d++) for (let j = 0; j < G; j++) sortedIous[d * G + j] = ious[d * G + perm[j]];
          }
        }
        for (let t = 0; t < T; t++) {
          const base = (a * T + t) * N + p0;
          if (haveIous) {
            gtMatched.fill(0, 0, G);
            greedyMatch(sortedIous, D, G, gtIgSorted, gtCrowdSorted, p.iouThrs[t], dtMatch, gtMatched);
            for (let d = 0; d < D; d++) {
              const m = dtMatch[d];
              let st: number;
              if (m === -1) st = dtOut[d] ? IGNORED : FP;
              else if (gtIgSorted[m]) st = IGNORED;
              else if (gtZeroIdSorted[m]) st = dtOut[d] ? IGNORED : FP; // dtm == 0: read as unmatched
              else st = TP;
              status[base + d] = st;
            }
          } else {
            for (let d = 0; d < D; d++) status[base + d] = dtOut[d] ? IGNORED : FP;
          }
        }
      }
    }
  }
  return accumulate(p, maxDets, gt, I, K, N, cutStart, keptScore, keptRank, status, npig);
}

function accumulate(
  p: CocoEvalParams,
  maxDets: number[],
  gt: CocoGt,
  I: number,
  K: number,
  N: number,
  cutStart: Int32Array,
  keptScore: Float64Array,
  keptRank: Int32Array,
  status: Uint8Array,
  npig: Float64Array,
): CocoEvalResult {
  const T = p.iouThrs.length;
  const R = p.recThrs.length;
  const A = p.areaRng.length;
  const M = maxDets.length;
  const counts: CocoEvalResult['counts'] = [T, R, K, A, M];
  const precision = new Float64Array(T * R * K * A * M).fill(-1);
  const recall = new Float64Array(T * K * A * M).fill(-1);
  const recThrs = p.recThrs;
  let rc = new Float64Array(0);
  let pr = new Float64Array(0);
  const byScore = (a: number, b: number) => keptScore[b] - keptScore[a] || a - b;
  for (let k = 0; k < K; k++) {
    let any = false;
    for (let a = 0; a < A; a++) if (npig[k * A + a] > 0) any = true;
    if (!any) continue;
    const s = cutStart[k * I];
    const e = cutStart[(k + 1) * I];
    const order = new Int32Array(e - s);
    for (let q = 0; q < order.length; q++) order[q] = s + q;
    order.sort(byScore); // = np.argsort(-scores, kind='mergesort') over the concatenation
    if (rc.length < order.length) {
      rc = new Float64Array(order.length);
      pr = new Float64Array(order.length);
    }
    for (let m = 0; m < M; m++) {
      const md = maxDets[m];
      let list = order;
      if (md < maxDets[M - 1]) {
        let n = 0;
        const sub = new Int32Array(order.length);
        for (let q = 0; q < order.length; q++) if (keptRank[order[q]] < md) sub[n++] = order[q];
        list = sub.subarray(0, n);
      }
      for (let a = 0; a < A; a++) {
        const np = npig[k * A + a];
        if (np === 0) continue;
        for (let t = 0; t < T; t++) {
          const base = (a * T + t) * N;
          let tp = 0;
          let fp = 0;
          let nd = 0;
          for (let q = 0; q < list.length; q++) {
            const st = status[base + list[q]];
            if (st === IGNORED) continue;
            if (st === TP) tp++;
            else fp++;
            rc[nd] = tp / np;
            pr[nd] = tp / (fp + tp + EPS);
            nd++;
          }
          recall[((t * K + k) * A + a) * M + m] = nd > 0 ? rc[nd - 1] : 0;
          for (let q = nd - 1; q > 0; q--) if (pr[q] > pr[q - 1]) pr[q - 1] = pr[q];
          let ptr = 0;
          for (let r = 0; r < R; r++) {
            const thr = recThrs[r];
            while (ptr < nd && rc[ptr] < thr) ptr++;
            precision[(((t * R + r) * K + k) * A + a) * M + m] = ptr < nd ? pr[ptr] : 0;
          }
        }
      }
    }
  }
  return { params: { ...p, maxDets }, catIds: gt.catIds, catNames: gt.catNames, counts, precision, recall };
}

/** A detection's mask: already decoded, or read from its JSON (polygons or RLE) now. */
function dtMask(dt: CocoDt, r: number, h: number, w: number): Rle {
  const s = dt.segmentation![r];
  if (isRle(s)) return s;
  return segmentationToRle(s, h, w, { file: dt.file, record: `results[${r}]`, field: 'segmentation' });
}

function isRle(v: unknown): v is Rle {
  return v !== null && typeof v === 'object' && (v as Rle).counts instanceof Uint32Array;
}
