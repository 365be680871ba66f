// A face box from a person's COCO head keypoints (0 nose, 1 left eye, 2 right eye, 3 left
// ear, 4 right ear), for datasets with keypoints but no face boxes. Neither the paper nor
// DeepPrivacy2 derives faces from keypoints (the paper runs a face detector, DSFD), so the rule
// is ours; it aims at the paper's face region, the WIDER FACE box (forehead, chin, cheeks).
//
// Rule (needs at least two labelled head keypoints, v > 0):
// - side: the largest of f * d over all pairs of labelled head keypoints, d their distance
//   and f the pair's factor: eye-eye 2.5, ear-ear 1.0, nose-ear 1.2, eye-ear of the same side
//   1.6, eye-ear of opposite sides 1.2, nose-eye 3.0. Each factor is (face side) / (that
//   distance) for an unturned face; a turned head foreshortens some distances, and taking the
//   largest estimate keeps the box from shrinking with them.
// - centre: the mean of the labelled head keypoints, moved by 0.15 * side towards the
//   shoulders (towards the midpoint of the labelled shoulders, keypoints 5 and 6; straight
//   down the image when neither is labelled): the eyes and ears sit above the face's centre.
// - box: the square of that side around that centre, clipped to the image.
// The factors and the 0.15 were fitted by eye to BlazeFace's boxes (detector.ts), which cover
// brows to chin, on the nine faces of the COCO val2017 sample in shared/data/coco-mini
// (the rule's side came within -13%..+17% of BlazeFace's, the centres within 3 px).
import type { Box } from '../data/types.ts';

/** [i, j, factor] for keypoint pairs (COCO indices). */
export const HEAD_PAIR_FACTORS: readonly [number, number, number][] = [
  [1, 2, 2.5], // eyes
  [3, 4, 1.0], // ears
  [0, 3, 1.2], // nose - ear
  [0, 4, 1.2],
  [1, 3, 1.6], // eye - ear, same side
  [2, 4, 1.6],
  [1, 4, 1.2], // eye - ear, opposite sides
  [2, 3, 1.2],
  [0, 1, 3.0], // nose - eye
  [0, 2, 3.0],
];

export const CENTRE_SHIFT = 0.15;

/**
 * The face box [x, y, w, h] (clipped to width x height) from 17 COCO keypoints, or null when
 * fewer than two head keypoints are labelled, their spread is zero, or the box misses the image.
 */
export function faceBoxFromKeypoints(kp: readonly number[], width: number, height: number): Box | null {
  if (kp.length < 15) return null;
  const has = (i: number) => kp[3 * i + 2] > 0;
  const head = [0, 1, 2, 3, 4].filter(has);
  if (head.length < 2) return null;
  let side = 0;
  for (const [i, j, f] of HEAD_PAIR_FACTORS) {
    if (!has(i) || !has(j)) continue;
    const d = Math.hypot(kp[3 * i] - kp[3 * j], kp[3 * i + 1] - kp[3 * j + 1]);
    side = Math.max(side, f * d);
  }
  if (!(side > 0)) return null;
  let mx = 0;
  let my = 0;
  for (const i of head) {
    mx += kp[3 * i];
    my += kp[3 * i + 1];
  }
  mx /= head.length;
  my /= head.length;
  // direction towards the shoulders, else image-down
  let dx = 0;
  let dy = 1;
  const shoulders = [5, 6].filter((i) => kp.length >= 3 * i + 3 && has(i));
  if (shoulders.length > 0) {
    let sx = 0;
    let sy = 0;
    for (const i of shoulders) {
      sx += kp[3 * i];
      sy += kp[3 * i + 1];
    }
    sx = sx / shoulders.length - mx;
    sy = sy / shoulders.length - my;
    const n = Math.hypot(sx, sy);
    if (n > 0) {
      dx = sx / n;
      dy = sy / n;
    }
  }
  const cx = mx + CENTRE_SHIFT * side * dx;
  const cy = my + CENTRE_SHIFT * side * dy;
  const x0 = Math.max(0, cx - side / 2);
  const y0 = Math.max(0, cy - side / 2);
  const x1 = Math.min(width, cx + side / 2);
  const y1 = Math.min(height, cy + side / 2);
  if (!(x1 > x0 && y1 > y0)) return null;
  return [x0, y0, x1 - x0, y1 - y0];
}
