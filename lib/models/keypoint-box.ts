// A person's box from its keypoints, for the keypoints model's pose stage: the first stage's
// boxes are rough, and the pose network reads each person through a crop of its box, so
// prediction re-crops every person around the box its own keypoints imply and runs the pose
// network again (lib/train/pose-predict.ts), as top-down pose trackers take the next frame's box
// from the keypoints. How a box extends beyond the keypoints (the head above the eyes and ears,
// the feet below the ankles, the arms' width) is measured on the training split's labelled
// people: the medians, over people with at least MIN_KEYPOINTS labelled keypoints, of
//   height  = box height / keypoint extent height,   width = box width / keypoint extent width,
//   dx, dy  = (box centre - extent centre) / extent height.

export interface KeypointBox {
  height: number;
  width: number;
  dx: number;
  dy: number;
  /** People it was measured on. */
  people: number;
}

/** People with fewer labelled keypoints do not enter the fit. */
export const MIN_KEYPOINTS = 8;

type Box = [number, number, number, number];

function extent(kp: ArrayLike<number>, keep: (j: number) => boolean): [number, number, number, number, number] {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  let n = 0;
  for (let j = 0; j < 17; j++) {
    if (!keep(j)) continue;
    n++;
    x0 = Math.min(x0, kp[3 * j]);
    x1 = Math.max(x1, kp[3 * j]);
    y0 = Math.min(y0, kp[3 * j + 1]);
    y1 = Math.max(y1, kp[3 * j + 1]);
  }
  return [x0, y0, x1, y1, n];
}

/** The median (mean of the two middle values for an even count). */
function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** The ratios measured on labelled people (keypoints 17 x (x, y, v), v > 0 labelled); undefined without any usable person. */
export function fitKeypointBox(people: readonly { bbox: Box; keypoints?: ArrayLike<number> }[]): KeypointBox | undefined {
  const h: number[] = [];
  const w: number[] = [];
  const dx: number[] = [];
  const dy: number[] = [];
  for (const p of people) {
    if (!p.keypoints || p.bbox[2] <= 0 || p.bbox[3] <= 0) continue;
    const kp = p.keypoints;
    const [x0, y0, x1, y1, n] = extent(kp, (j) => kp[3 * j + 2] > 0);
    if (n < MIN_KEYPOINTS || x1 <= x0 || y1 <= y0) continue;
    const [bx, by, bw, bh] = p.bbox;
    h.push(bh / (y1 - y0));
    w.push(bw / (x1 - x0));
    dx.push((bx + bw / 2 - (x0 + x1) / 2) / (y1 - y0));
    dy.push((by + bh / 2 - (y0 + y1) / 2) / (y1 - y0));
  }
  if (h.length === 0) return undefined;
  return { height: median(h), width: median(w), dx: median(dx), dy: median(dy), people: h.length };
}

/**
 * The box implied by predicted keypoints (17 x (x, y, score)): those scoring at least
 * `minScore`; undefined when fewer than 4 do or they span no height or width.
 */
export function boxFromKeypoints(kp: ArrayLike<number>, r: KeypointBox, minScore: number): Box | undefined {
  const [x0, y0, x1, y1, n] = extent(kp, (j) => kp[3 * j + 2] >= minScore);
  if (n < 4 || x1 <= x0 || y1 <= y0) return undefined;
  const eh = y1 - y0;
  const w = r.width * (x1 - x0);
  const h = r.height * eh;
  const cx = (x0 + x1) / 2 + r.dx * eh;
  const cy = (y0 + y1) / 2 + r.dy * eh;
  return [cx - w / 2, cy - h / 2, w, h];
}
