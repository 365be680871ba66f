// One-to-one matching of face detections to person masks, as the paper does it (Sec. 3.1:
// "we select the match with the highest IoU and bounding box score. Any matches with an
// IoU < 1% are removed"), following DeepPrivacy2's tools/anonymization/coco/annotate_faces.py
// `get_matches` (also used for Cityscapes):
// - IoU between the detection box drawn as a mask (`boxes2masks`: corners truncated to
//   integers with int(), pixels [y0:y1, x0:x1]) and the person mask: inter / (union + 1e-7);
// - candidate pairs: IoU > threshold (0.01);
// - pairs sorted by (-IoU, -score, number of candidate pairs of the mask), ties keeping the
//   order of np.where (detection index, then mask index), and taken greedily, each
//   detection and each mask at most once. Unmatched detections are dropped.
import type { Rle } from '../data/types.ts';

export const MATCH_IOU_THRESHOLD = 0.01;

/** Corners [x0, y0, x1, y1) of a detection box as DP2's boxes2masks draws it (int() of each corner, clipped to the image). */
export function boxMaskCorners(box: readonly [number, number, number, number], w: number, h: number): [number, number, number, number] {
  const c = (v: number, hi: number) => Math.max(0, Math.min(hi, Math.trunc(v)));
  return [c(box[0], w), c(box[1], h), c(box[0] + box[2], w), c(box[1] + box[3], h)];
}

/** Number of mask pixels inside the corner box [x0, y0, x1, y1), and the mask's area. */
export function countInBox(mask: Rle, c: readonly [number, number, number, number]): { inside: number; area: number } {
  const { h, counts } = mask;
  const [x0, y0, x1, y1] = c;
  let inside = 0;
  let area = 0;
  let pos = 0;
  for (let j = 0; j < counts.length; j++) {
    const n = counts[j];
    if (j & 1 && n > 0) {
      area += n;
      // walk the run column by column
      let p = pos;
      const end = pos + n;
      while (p < end) {
        const x = Math.floor(p / h);
        const colEnd = Math.min(end, (x + 1) * h);
        if (x >= x0 && x < x1) {
          const a = Math.max(p - x * h, y0);
          const b = Math.min(colEnd - x * h, y1);
          if (b > a) inside += b - a;
        }
        p = colEnd;
      }
    }
    pos += n;
  }
  return { inside, area };
}

/** DP2's IoU of a detection box (as a mask) and a person mask. */
export function boxMaskIou(box: readonly [number, number, number, number], mask: Rle): number {
  const c = boxMaskCorners(box, mask.w, mask.h);
  const boxArea = Math.max(0, c[2] - c[0]) * Math.max(0, c[3] - c[1]);
  const { inside, area } = countInBox(mask, c);
  return inside / (boxArea + area - inside + 1e-7);
}

export interface Match {
  detection: number;
  mask: number;
  iou: number;
}

/** Greedy one-to-one matches of detections (box [x, y, w, h], score) to masks, in the order taken. */
export function matchDetectionsToMasks(
  detections: readonly { box: readonly [number, number, number, number]; score: number }[],
  masks: readonly Rle[],
  threshold = MATCH_IOU_THRESHOLD,
): Match[] {
  const pairs: Match[] = [];
  const perMask = new Int32Array(masks.length);
  for (let d = 0; d < detections.length; d++) {
    for (let m = 0; m < masks.length; m++) {
      const iou = boxMaskIou(detections[d].box, masks[m]);
      if (iou > threshold) {
        pairs.push({ detection: d, mask: m, iou });
        perMask[m]++;
      }
    }
  }
  const order = pairs.map((_, i) => i);
  order.sort((i, j) => {
    const a = pairs[i];
    const b = pairs[j];
    return b.iou - a.iou || detections[b.detection].score - detections[a.detection].score || perMask[a.mask] - perMask[b.mask] || i - j;
  });
  const takenD = new Uint8Array(detections.length);
  const takenM = new Uint8Array(masks.length);
  const out: Match[] = [];
  for (const i of order) {
    const p = pairs[i];
    if (takenD[p.detection] || takenM[p.mask]) continue;
    takenD[p.detection] = 1;
    takenM[p.mask] = 1;
    out.push(p);
  }
  return out;
}
