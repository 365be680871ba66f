// Whether a detector "still finds" a person or a face: detections matched one-to-one to the
// targets (the anonymized persons' boxes, the face regions), greedily as COCO's evaluation does:
// detections in descending score, each taking the not yet matched target it fits best, if any.
//   'iou50'   a detection fits a target when their box IoU >= 0.5 (the persons);
//   'centre'  a detection fits a target when the detection's centre lies inside the target's box
//             (the faces: a face region may be an annotated or keypoint box, whose extent differs
//             from the detector's own face box by convention, so IoU would count that difference;
//             where the centre of a detection lies does not depend on it).
// Among the targets a detection fits, the one of highest IoU is taken (ties: the first).
import type { Box } from '../data/types.ts';

export type MatchRule = 'iou50' | 'centre';

export const MATCH_RULES: Record<MatchRule, string> = {
  iou50: 'one-to-one greedy by score: a detection matches a target box when their IoU >= 0.5',
  centre: "one-to-one greedy by score: a detection matches a target box when the detection's centre lies inside the target box",
};

/** IoU of two [x, y, w, h] boxes (0 when the union is empty). */
export function boxIou(a: Box, b: Box): number {
  const iw = Math.min(a[0] + a[2], b[0] + b[2]) - Math.max(a[0], b[0]);
  const ih = Math.min(a[1] + a[3], b[1] + b[3]) - Math.max(a[1], b[1]);
  if (!(iw > 0 && ih > 0)) return 0;
  const inter = iw * ih;
  const union = a[2] * a[3] + b[2] * b[3] - inter;
  return union > 0 ? inter / union : 0;
}

/** Whether the centre of `det` lies inside `target` (left/top edges inclusive, right/bottom exclusive). */
export function centreInside(target: Box, det: Box): boolean {
  const cx = det[0] + det[2] / 2;
  const cy = det[1] + det[3] / 2;
  return cx >= target[0] && cx < target[0] + target[2] && cy >= target[1] && cy < target[1] + target[3];
}

/**
 * For each target, the index of the detection matched to it under `rule`, or -1. Detections
 * are taken in descending score (ties: input order).
 */
export function matchTargets(targets: readonly Box[], detections: readonly { box: Box; score: number }[], rule: MatchRule): number[] {
  const matched = new Array<number>(targets.length).fill(-1);
  const order = detections.map((_, i) => i).sort((i, j) => detections[j]!.score - detections[i]!.score || i - j);
  for (const d of order) {
    const box = detections[d]!.box;
    let best = -1;
    let bestIou = -1;
    for (let t = 0; t < targets.length; t++) {
      if (matched[t] !== -1) continue;
      const iou = boxIou(targets[t]!, box);
      const fits = rule === 'iou50' ? iou >= 0.5 : centreInside(targets[t]!, box);
      if (fits && iou > bestIou) {
        best = t;
        bestIou = iou;
      }
    }
    if (best >= 0) matched[best] = d;
  }
  return matched;
}
