// Where a person's face can be: the head part of the person, and the estimated head region used
// when no face was found for a person large enough to show one. No tfjs here.
//
// Head part (where a detector face is accepted for a person, face.ts):
// - with labelled head keypoints (COCO 0..4, v > 0): the square around their mean of half side
//   max(1.5 x their largest distance from the mean, HEAD_KP_MIN_RADIUS x the mask's height, 4 px);
// - otherwise from the mask's rows: the top HEAD_FRACTION (0.25) of the mask's height, or
//   HEAD_FRACTION_CUT (0.5) when the mask touches the image's bottom edge (a person cut off by
//   the frame: the visible part is mostly the upper body, so the head is a larger share of it);
//   the part is the box of the mask's pixels in those rows, widened by HEAD_MARGIN of its width
//   on either side (not upwards: a face's centre is below the top of its head). A standing adult's head is
//   about 1/7.5 of their height (13%), head and neck about 18%; 25% leaves room for a bent
//   head and a loose mask while excluding the chest (the face centre of a standing person is
//   never below 25% of its height), which is where unfiltered detector matches went wrong.
// A detection is accepted for a person when its box centre lies in the head part, its width is
// at most HEAD_MAX_FACE_WIDTH times the part's (unwidened) width, and at least
// HEAD_MIN_MASK_SHARE (25%) of the box's pixels are on the person's mask (a face lies on its
// person; a box mostly on the background beside a head is not that person's face); each person takes at most one detection and each detection goes to at most
// one person (greedy, nearest to the expected head centre first, then higher score).
//
// Estimated head (a person with no face box, no head keypoints and no accepted detection, at
// least MIN_FACE_PERSON_HEIGHT (32) pixels tall): the mask's pixels in its top
// ESTIMATE_FRACTION (0.2; 0.4 for a mask touching the image's bottom edge) rows, dilated by a
// disk of radius max(1, round(ESTIMATE_DILATION x height)). Why 32 px: the head of a 32 px
// person is about 4 px tall (1/7.5 of the height); below that no facial feature spans even a
// pixel or two, so nothing identifiable is left to hide, while from there up a missed face
// could be recognisable and we would rather blur a head we could not confirm. 32 is also the
// paper's size threshold (DP2's min_size ablation, candidates.ts).
import type { Box, Instance, Rle } from '../data/types.ts';
import { decode, encode, toBbox } from '../data/masks/index.ts';
import type { Corners } from './dp2-crop.ts';
import { dilate } from './dilate.ts';
import { countInBox } from './match.ts';

export const HEAD_FRACTION = 0.25;
export const HEAD_FRACTION_CUT = 0.5;
export const HEAD_MARGIN = 0.15;
export const HEAD_KP_MIN_RADIUS = 0.1;
export const HEAD_MAX_FACE_WIDTH = 1.5;
export const HEAD_MIN_MASK_SHARE = 0.25;
export const MIN_FACE_PERSON_HEIGHT = 32;
export const ESTIMATE_FRACTION = 0.2;
export const ESTIMATE_FRACTION_CUT = 0.4;
export const ESTIMATE_DILATION = 0.03;

export interface HeadPart {
  /** Where a face of this person may lie: corners [x0, y0, x1, y1), continuous, may reach outside the image. */
  box: [number, number, number, number];
  /** Width of the part before widening (mask rows) or twice the radius (keypoints). */
  width: number;
  /** Expected centre of the head (x, y): the mean x of the topmost mask rows and the middle of the head rows, or the keypoints' mean. */
  centre: [number, number];
  from: 'mask' | 'keypoints';
}

/** Per-row [min x, max x] of the mask's pixels in rows [y0, y1) (-1 where a row is empty), and per-row pixel x sums and counts. */
export function rowExtents(mask: Rle, y0: number, y1: number): { min: Int32Array; max: Int32Array; sum: Float64Array; count: Int32Array } {
  const n = Math.max(0, y1 - y0);
  const min = new Int32Array(n).fill(-1);
  const max = new Int32Array(n).fill(-1);
  const sum = new Float64Array(n);
  const count = new Int32Array(n);
  const { h, counts } = mask;
  let pos = 0;
  for (let j = 0; j < counts.length; j++) {
    const len = counts[j];
    if (j & 1 && len > 0) {
      let p = pos;
      const end = pos + len;
      while (p < end) {
        const x = Math.floor(p / h);
        const colEnd = Math.min(end, (x + 1) * h);
        const a = Math.max(p - x * h, y0);
        const b = Math.min(colEnd - x * h, y1);
        for (let y = a; y < b; y++) {
          const r = y - y0;
          if (min[r] < 0 || x < min[r]) min[r] = x;
          if (x > max[r]) max[r] = x;
          sum[r] += x;
          count[r]++;
        }
        p = colEnd;
      }
    }
    pos += len;
  }
  return { min, max, sum, count };
}

/** Whether the mask (tight corners `tight`) is cut off by the image's bottom edge. */
const cutAtBottom = (tight: Corners, imageHeight: number) => tight[3] >= imageHeight;

/** The labelled head keypoints (COCO 0..4) as [x, y]. */
function headKeypoints(kp: readonly number[] | undefined): [number, number][] {
  const out: [number, number][] = [];
  if (!kp || kp.length < 15) return out;
  for (let i = 0; i < 5; i++) if (kp[3 * i + 2] > 0) out.push([kp[3 * i], kp[3 * i + 1]]);
  return out;
}

/** The head part of a person (mask `inst.mask`, tight corners `tight`) in an image `imageHeight` rows high. */
export function headPart(inst: Pick<Instance, 'mask' | 'keypoints'>, tight: Corners, imageHeight: number): HeadPart {
  const H = tight[3] - tight[1];
  const kps = headKeypoints(inst.keypoints);
  if (kps.length > 0) {
    const mx = kps.reduce((s, p) => s + p[0], 0) / kps.length;
    const my = kps.reduce((s, p) => s + p[1], 0) / kps.length;
    const spread = Math.max(...kps.map(([x, y]) => Math.hypot(x - mx, y - my)));
    const r = Math.max(1.5 * spread, HEAD_KP_MIN_RADIUS * H, 4);
    return { box: [mx - r, my - r, mx + r, my + r], width: 2 * r, centre: [mx, my], from: 'keypoints' };
  }
  const rows = Math.max(1, Math.ceil((cutAtBottom(tight, imageHeight) ? HEAD_FRACTION_CUT : HEAD_FRACTION) * H));
  const y0 = tight[1];
  const y1 = Math.min(tight[3], y0 + rows);
  const e = rowExtents(inst.mask, y0, y1);
  let x0 = Infinity;
  let x1 = -Infinity;
  for (let r = 0; r < e.min.length; r++) {
    if (e.min[r] < 0) continue;
    x0 = Math.min(x0, e.min[r]);
    x1 = Math.max(x1, e.max[r] + 1);
  }
  if (!(x1 > x0)) {
    x0 = tight[0];
    x1 = tight[2];
  }
  // the head's x: mean of the mask's pixels in the top tenth of the head rows (at least 2 rows)
  const top = Math.max(2, Math.ceil(0.1 * (y1 - y0)));
  let sx = 0;
  let n = 0;
  for (let r = 0; r < Math.min(top, e.count.length); r++) {
    sx += e.sum[r];
    n += e.count[r];
  }
  const cx = n > 0 ? sx / n + 0.5 : (x0 + x1) / 2;
  const w = x1 - x0;
  const m = HEAD_MARGIN * w;
  return { box: [x0 - m, y0, x1 + m, y1], width: w, centre: [cx, y0 + (y1 - y0) / 2], from: 'mask' };
}

/** Whether a detection box [x, y, w, h] can be the face of the person with this head part and mask. */
export function acceptsFace(part: HeadPart, mask: Rle, box: Box): boolean {
  const cx = box[0] + box[2] / 2;
  const cy = box[1] + box[3] / 2;
  const [x0, y0, x1, y1] = part.box;
  if (!(cx >= x0 && cx < x1 && cy >= y0 && cy < y1)) return false;
  if (box[2] > HEAD_MAX_FACE_WIDTH * part.width) return false;
  const c: [number, number, number, number] = [
    Math.max(0, Math.floor(box[0])),
    Math.max(0, Math.floor(box[1])),
    Math.min(mask.w, Math.ceil(box[0] + box[2])),
    Math.min(mask.h, Math.ceil(box[1] + box[3])),
  ];
  const area = Math.max(0, c[2] - c[0]) * Math.max(0, c[3] - c[1]);
  return area > 0 && countInBox(mask, c).inside >= HEAD_MIN_MASK_SHARE * area;
}

export interface HeadMatch {
  detection: number;
  person: number;
}

/**
 * One-to-one matches of detections to persons (head parts and masks, same order): only
 * accepted pairs (acceptsFace); greedy by the distance of the detection's centre to the
 * expected head centre divided by the part's width, then by higher score, then input order.
 */
export function matchFacesToHeads(detections: readonly { box: Box; score: number }[], parts: readonly HeadPart[], masks: readonly Rle[]): HeadMatch[] {
  const pairs: { detection: number; person: number; dist: number }[] = [];
  for (let d = 0; d < detections.length; d++) {
    const b = detections[d].box;
    for (let p = 0; p < parts.length; p++) {
      if (!acceptsFace(parts[p], masks[p], b)) continue;
      const dist = Math.hypot(b[0] + b[2] / 2 - parts[p].centre[0], b[1] + b[3] / 2 - parts[p].centre[1]) / Math.max(1, parts[p].width);
      pairs.push({ detection: d, person: p, dist });
    }
  }
  pairs.sort((a, b) => a.dist - b.dist || detections[b.detection].score - detections[a.detection].score || a.detection - b.detection || a.person - b.person);
  const takenD = new Set<number>();
  const takenP = new Set<number>();
  const out: HeadMatch[] = [];
  for (const p of pairs) {
    if (takenD.has(p.detection) || takenP.has(p.person)) continue;
    takenD.add(p.detection);
    takenP.add(p.person);
    out.push({ detection: p.detection, person: p.person });
  }
  return out;
}

/** Whether a person (tight corners) is tall enough for an estimated head region. */
export const tallEnoughForFace = (tight: Corners) => tight[3] - tight[1] >= MIN_FACE_PERSON_HEIGHT;

/**
 * The estimated head region of a person: the mask's pixels in its top rows (ESTIMATE_FRACTION
 * of its height, ESTIMATE_FRACTION_CUT when cut off at the image's bottom edge), dilated by
 * max(1, round(ESTIMATE_DILATION x height)). Null when that leaves no pixel.
 */
export function estimatedHead(mask: Rle, tight: Corners): Rle | null {
  const { h, w } = mask;
  const H = tight[3] - tight[1];
  if (!(H > 0)) return null;
  const rows = Math.max(1, Math.ceil((cutAtBottom(tight, h) ? ESTIMATE_FRACTION_CUT : ESTIMATE_FRACTION) * H));
  const y1 = Math.min(h, tight[1] + rows);
  const m = decode(mask); // row-major
  m.fill(0, y1 * w);
  const top = encode(m, h, w);
  const out = dilate(top, Math.max(1, Math.round(ESTIMATE_DILATION * H)));
  const b = toBbox(out);
  return b[2] > 0 && b[3] > 0 ? out : null;
}

/** Square windows around a head part for the face detector: several scales of the part's width, centred on the expected head. */
export const HEAD_WINDOW_SCALES: readonly number[] = [0.75, 1.25, 2];

export function headWindows(part: HeadPart, minSide: number): { ox: number; oy: number; side: number }[] {
  const out: { ox: number; oy: number; side: number }[] = [];
  for (const f of HEAD_WINDOW_SCALES) {
    const side = f * part.width;
    if (!(side >= minSide)) continue;
    // the expected head centre sits in the upper third of the window (shoulders below it stay in view)
    const oy = part.from === 'keypoints' ? part.centre[1] - side / 2 : part.box[1] - 0.15 * side;
    out.push({ ox: part.centre[0] - side / 2, oy, side });
  }
  return out;
}
