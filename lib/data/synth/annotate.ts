// Turns a painted canvas into annotations: each instance's visible pixels (area, bbox), the
// Cityscapes instanceIds image, COCO keypoints with visibility decided from what was drawn,
// and face boxes.
import type { Box } from '../types.ts';
import type { PersonRender, KeypointDraft } from './person.ts';
import { LABEL } from './labels.ts';
import type { Canvas } from './raster.ts';

export type ObjectKind = 'person' | 'rider' | 'car' | 'bicycle' | 'crowd';

/** An object as drawn: index i in the canvas's `obj` buffer is `objects[i]` (index 0: stuff). */
export interface DrawnObject {
  kind: ObjectKind;
  labelId: number;
  cocoCategoryId: number;
  iscrowd: boolean;
  /** Distance from the camera (m). */
  Z: number;
  render?: PersonRender;
  /** Cars: the draw group (Canvas.seq) its licence plate was painted in. */
  plateGroup?: number;
}

export interface SynthInstance {
  kind: ObjectKind;
  /** Index of the object in `SynthSample.objectIndex`. */
  obj: number;
  labelId: number;
  /** Value in the Cityscapes instanceIds image: labelId * 1000 + k, or labelId for a crowd. */
  instanceId: number;
  cocoCategoryId: number;
  iscrowd: boolean;
  /** Visible pixels. */
  area: number;
  /** [x, y, w, h] of the visible pixels (as pycocotools' toBbox of the mask). */
  bbox: Box;
  /** 51 numbers [x, y, v, ...]; v = 0 outside the image (x = y = 0), 1 occluded, 2 visible. */
  keypoints?: number[];
  numKeypoints?: number;
  /** [x, y, w, h] of the visible face (forehead, chin and cheeks); absent when the face is not visible. */
  faceBox?: Box;
  Z: number;
}

/** Objects with fewer visible pixels are dropped and their pixels labelled 'unlabeled'. */
export const MIN_AREA = 6;


/** Smallest share of the face's ellipse that must be visible for a face box. */
const FACE_VISIBLE = 0.4;

function floor2(v: number): number {
  return Math.floor(v * 100) / 100;
}
function ceil2(v: number): number {
  return Math.ceil(v * 100) / 100;
}

export function annotate(c: Canvas, objects: DrawnObject[]): { instances: SynthInstance[]; instanceIds: Uint16Array } {
  const W = c.width;
  const H = c.height;
  const n = objects.length;
  const area = new Int32Array(n);
  const minX = new Int32Array(n).fill(W);
  const minY = new Int32Array(n).fill(H);
  const maxX = new Int32Array(n).fill(-1);
  const maxY = new Int32Array(n).fill(-1);
  const obj = c.obj;
  for (let y = 0, i = 0; y < H; y++) {
    for (let x = 0; x < W; x++, i++) {
      const o = obj[i];
      if (o === 0) continue;
      area[o]++;
      if (x < minX[o]) minX[o] = x;
      if (x > maxX[o]) maxX[o] = x;
      if (y < minY[o]) minY[o] = y;
      if (y > maxY[o]) maxY[o] = y;
    }
  }
  // Slivers of almost hidden objects become 'unlabeled' (void) pixels rather than instances.
  for (let o = 1; o < n; o++) {
    if (area[o] === 0 || area[o] >= MIN_AREA) continue;
    for (let y = minY[o]; y <= maxY[o]; y++) {
      for (let x = minX[o], i = y * W + minX[o]; x <= maxX[o]; x++, i++) {
        if (obj[i] === o) {
          obj[i] = 0;
          c.label[i] = LABEL.unlabeled;
        }
      }
    }
    area[o] = 0;
  }
  // instance ids in drawing order, counted per label over the visible objects
  const lut = new Uint16Array(n);
  const counters = new Map<number, number>();
  const instances: SynthInstance[] = [];
  for (let o = 1; o < n; o++) {
    const d = objects[o];
    if (area[o] === 0) continue;
    let instanceId = d.labelId;
    if (!d.iscrowd) {
      const k = counters.get(d.labelId) ?? 0;
      if (k > 999) throw new RangeError(`synth: more than 1000 instances of label ${d.labelId}`);
      counters.set(d.labelId, k + 1);
      instanceId = d.labelId * 1000 + k;
    }
    lut[o] = instanceId;
    const bbox: Box = [minX[o], minY[o], maxX[o] - minX[o] + 1, maxY[o] - minY[o] + 1];
    const inst: SynthInstance = { kind: d.kind, obj: o, labelId: d.labelId, instanceId, cocoCategoryId: d.cocoCategoryId, iscrowd: d.iscrowd, area: area[o], bbox, Z: d.Z };
    if (d.render) {
      const kps: number[] = [];
      let num = 0;
      for (const kp of d.render.keypoints) {
        const [x, y, v] = keypointVisibility(c, o, kp);
        kps.push(x, y, v);
        if (v > 0) num++;
      }
      inst.keypoints = kps;
      inst.numKeypoints = num;
      const fb = faceBox(c, o, d.render, bbox);
      if (fb) inst.faceBox = fb;
    }
    instances.push(inst);
  }
  const instanceIds = new Uint16Array(W * H);
  const label = c.label;
  for (let i = 0; i < W * H; i++) {
    const o = obj[i];
    instanceIds[i] = o === 0 ? label[i] : lut[o];
  }
  return { instances, instanceIds };
}

/**
 * COCO visibility of a keypoint from the drawing: 0 outside the image; 1 when turned away
 * from the camera or hidden (the pixel was painted later than the keypoint's own parts, by
 * another object or another part of the same person); 2 when one of its own parts shows at
 * the pixel. A thin limb that misses the keypoint's own pixel (people a few pixels tall) is
 * looked for among the 8 neighbours, and the keypoint moved onto the nearest such pixel, so a
 * v = 2 keypoint always lies on its instance's visible mask.
 */
export function keypointVisibility(c: Canvas, own: number, kp: KeypointDraft): [number, number, number] {
  const W = c.width;
  const H = c.height;
  let x = floor2(kp.x);
  let y = floor2(kp.y);
  if (!(x >= 0 && x < W && y >= 0 && y < H)) return [0, 0, 0];
  if (!kp.facing || kp.groups.length === 0) return [x, y, 1];
  const px = Math.floor(x);
  const py = Math.floor(y);
  const i = py * W + px;
  const groups = kp.groups;
  let maxG = 0;
  for (const g of groups) if (g > maxG) maxG = g;
  if (c.obj[i] === own && groups.includes(c.seq[i])) return [x, y, 2];
  if (c.seq[i] > maxG) return [x, y, 1];
  let best = -1;
  let bestD = Infinity;
  for (let dy = -1; dy <= 1; dy++) {
    for (let dx = -1; dx <= 1; dx++) {
      const qx = px + dx;
      const qy = py + dy;
      if ((dx === 0 && dy === 0) || qx < 0 || qy < 0 || qx >= W || qy >= H) continue;
      const j = qy * W + qx;
      if (c.obj[j] !== own || !groups.includes(c.seq[j])) continue;
      const ex = x < qx ? qx - x : x > qx + 1 ? x - qx - 1 : 0;
      const ey = y < qy ? qy - y : y > qy + 1 ? y - qy - 1 : 0;
      const d = ex * ex + ey * ey;
      if (d < bestD) {
        bestD = d;
        best = j;
      }
    }
  }
  if (best < 0) return [x, y, 1];
  const qx = best % W;
  const qy = (best - qx) / W;
  x = Math.min(Math.max(x, qx + 0.01), qx + 0.99);
  y = Math.min(Math.max(y, qy + 0.01), qy + 0.99);
  return [floor2(x), floor2(y), 2];
}

/** The face box when enough of the face's skin ellipse is visible; clipped to the image and the person's box. */
function faceBox(c: Canvas, own: number, r: PersonRender, bbox: Box): Box | undefined {
  const f = r.face;
  if (!f.facing || f.group === 0 || !(f.rx > 0) || !(f.ry > 0)) return undefined;
  const W = c.width;
  const H = c.height;
  const x0 = Math.max(0, Math.floor(f.cx - f.rx));
  const x1 = Math.min(W - 1, Math.ceil(f.cx + f.rx));
  const y0 = Math.max(0, Math.floor(f.cy - f.ry));
  const y1 = Math.min(H - 1, Math.ceil(f.cy + f.ry));
  let seen = 0;
  for (let y = y0; y <= y1; y++) {
    const dy = (y + 0.5 - f.cy) / f.ry;
    for (let x = x0; x <= x1; x++) {
      const dx = (x + 0.5 - f.cx) / f.rx;
      if (dx * dx + dy * dy > 1) continue;
      const i = y * W + x;
      if (c.obj[i] === own && c.seq[i] === f.group) seen++;
    }
  }
  if (seen < Math.max(1, FACE_VISIBLE * Math.PI * f.rx * f.ry)) return undefined;
  const bx0 = Math.max(f.cx - f.rx, 0, bbox[0]);
  const by0 = Math.max(f.cy - f.ry, 0, bbox[1]);
  const bx1 = Math.min(f.cx + f.rx, W, bbox[0] + bbox[2]);
  const by1 = Math.min(f.cy + f.ry, H, bbox[1] + bbox[3]);
  const ax = ceil2(bx0);
  const ay = ceil2(by0);
  const w = Math.round((floor2(bx1) - ax) * 100) / 100;
  const h = Math.round((floor2(by1) - ay) * 100) / 100;
  if (!(w > 0 && h > 0)) return undefined;
  return [ax, ay, w, h];
}
