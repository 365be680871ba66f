// Training targets of the three tasks, computed from an augmented sample at the model's output
// stride (output pixel i covers input pixels [i*os, (i+1)*os); its centre is input coordinate
// (i + 0.5) * os, so an input point q has output coordinate q / os - 0.5).
//
//   semseg     class index per output pixel (the input pixel at the cell's centre), 255 ignored.
//   instances  semantic labels as semseg; a class-agnostic centre heatmap: a Gaussian with peak 1
//              at the rounded centre of mass of every thing instance (Panoptic-DeepLab, with
//              CenterNet's integer peak so that the focal loss has exact positives) and
//              sigma = max(minSigma, sigmaScale * sqrt(box w * h)) in output pixels; offsets
//              (dy, dx) / OFFSET_SCALE from each instance pixel to its centre of mass; the log
//              distances to the box edges (l, t, r, b) in the 3x3 cells around each centre.
//   keypoints  person-centre heatmap at the box centre and the box size (log w, log h) in the 3x3
//              cells around it, for every person (crowds and `ignore` ones aside), labelled
//              keypoints or not: the person detector learns from all people, as Keypoint R-CNN's
//              box head does; for people with labelled keypoints also one heatmap per keypoint
//              type (Gaussian at every labelled keypoint, sigma from the person's size), offsets
//              centre -> keypoint (dx, dy) / OFFSET_SCALE in the same 3x3 cells and the sub-pixel
//              position (dx, dy) of each keypoint within its peak cell; the person mask (1 person,
//              0 other, 255 ignored).
// Weights: heatmap weight 0 outside the source image and over crowd regions, `ignore` instances
// and instances of classes that are not trained (and, for the keypoint heatmaps, persons without
// labelled keypoints, whose joints are not annotated); regression weights 1 where a target exists.
import { OFFSET_SCALE } from '../models/instances.ts';
import { IGNORE_LABEL } from './classes.ts';
import type { AugSample } from './augment.ts';
import type { BaseInstance } from './loader.ts';

export interface TargetConfig {
  outputStride: number;
  /** Heatmap sigma = max(minSigma, sigmaScale * sqrt(w * h)) in output pixels (w, h: the box). */
  minSigma: number;
  sigmaScale: number;
  /** Keypoint heatmap sigma as a fraction of the person-centre sigma. */
  keypointSigmaRatio: number;
}

export const DEFAULT_TARGETS: Omit<TargetConfig, 'outputStride'> = { minSigma: 0.8, sigmaScale: 0.1, keypointSigmaRatio: 0.5 };

export function outputSize(width: number, height: number, outputStride: number): [number, number] {
  return [Math.ceil(width / outputStride), Math.ceil(height / outputStride)];
}

/** Down-samples a per-pixel map to the output grid, taking the pixel at each cell's centre. */
function downsample<T extends Uint8Array | Int32Array>(src: T, W: number, H: number, os: number, make: (n: number) => T): T {
  const [w, h] = outputSize(W, H, os);
  const out = make(w * h);
  const c = Math.floor(os / 2);
  for (let i = 0; i < h; i++) {
    const y = Math.min(H - 1, i * os + c);
    for (let j = 0; j < w; j++) out[i * w + j] = src[y * W + Math.min(W - 1, j * os + c)];
  }
  return out;
}

export interface SemsegTargets {
  width: number;
  height: number;
  /** Class index per output pixel, IGNORE_LABEL where unlabelled. */
  labels: Int32Array;
}

export function semanticTargets(s: AugSample, os: number): SemsegTargets {
  if (!s.semantic) throw new Error('sample has no semantic map');
  const sem = downsample(s.semantic, s.width, s.height, os, (n) => new Uint8Array(n));
  const valid = downsample(s.valid, s.width, s.height, os, (n) => new Uint8Array(n));
  const [w, h] = outputSize(s.width, s.height, os);
  const labels = new Int32Array(w * h);
  for (let p = 0; p < labels.length; p++) labels[p] = valid[p] ? sem[p] : IGNORE_LABEL;
  return { width: w, height: h, labels };
}

/** Draws a Gaussian with peak 1 at integer cell (cx, cy) into `map` (channel `ch` of `nch`), keeping the maximum. */
export function drawGaussian(map: Float32Array, w: number, h: number, cx: number, cy: number, sigma: number, ch = 0, nch = 1): void {
  const r = Math.ceil(3 * sigma);
  const k = -1 / (2 * sigma * sigma);
  for (let y = Math.max(0, cy - r); y <= Math.min(h - 1, cy + r); y++) {
    for (let x = Math.max(0, cx - r); x <= Math.min(w - 1, cx + r); x++) {
      const v = Math.exp(((x - cx) ** 2 + (y - cy) ** 2) * k);
      const o = (y * w + x) * nch + ch;
      if (v > map[o]) map[o] = v;
    }
  }
}

export interface InstanceTargets extends SemsegTargets {
  /** Centre heatmap [h*w], its loss weight [h*w]. */
  center: Float32Array;
  centerWeight: Float32Array;
  /** (dy, dx) / OFFSET_SCALE per pixel [h*w*2], its weight [h*w]. */
  offset: Float32Array;
  offsetWeight: Float32Array;
  /** log(l, t, r, b) distances from the cell to the box edges [h*w*4], regressed in the 3x3
   * cells around each centre, and the per-pixel weight. */
  box: Float32Array;
  boxWeight: Float32Array;
  /** Number of instances with a centre in the sample. */
  numInstances: number;
}

export function instanceTargets(s: AugSample, thingClasses: readonly number[], cfg: TargetConfig): InstanceTargets {
  const os = cfg.outputStride;
  const sem = semanticTargets(s, os);
  const { width: w, height: h } = sem;
  const n = w * h;
  const imap = downsample(s.instanceMap, s.width, s.height, os, (m) => new Int32Array(m));
  const valid = downsample(s.valid, s.width, s.height, os, (m) => new Uint8Array(m));
  const things = new Set(thingClasses);
  const trained = s.instances.map((inst) => !inst.crowd && !inst.ignore && things.has(inst.classIndex));
  const center = new Float32Array(n);
  const centerWeight = new Float32Array(n);
  const offset = new Float32Array(n * 2);
  const offsetWeight = new Float32Array(n);
  const box = new Float32Array(n * 4);
  const boxWeight = new Float32Array(n);
  // centre of mass of each trained instance over the output grid
  const k = s.instances.length;
  const sx = new Float64Array(k);
  const sy = new Float64Array(k);
  const cnt = new Float64Array(k);
  for (let p = 0; p < n; p++) {
    const id = imap[p];
    centerWeight[p] = valid[p] && (id < 0 || !isExcluded(s, id)) ? 1 : 0;
    if (id < 0 || !trained[id]) continue;
    sx[id] += p % w;
    sy[id] += Math.floor(p / w);
    cnt[id]++;
  }
  let numInstances = 0;
  for (let id = 0; id < k; id++) {
    if (!cnt[id]) continue;
    numInstances++;
    const [bx, by, bw, bh] = s.instances[id].bbox;
    const sigma = Math.max(cfg.minSigma, cfg.sigmaScale * Math.sqrt((bw / os) * (bh / os)));
    const cx = Math.round(sx[id] / cnt[id]);
    const cy = Math.round(sy[id] / cnt[id]);
    drawGaussian(center, w, h, cx, cy, sigma);
    // box edges in output coordinates (cell i's centre is at i)
    const x0 = bx / os - 0.5;
    const y0 = by / os - 0.5;
    const x1 = (bx + bw) / os - 0.5;
    const y1 = (by + bh) / os - 0.5;
    for (let y = Math.max(0, cy - 1); y <= Math.min(h - 1, cy + 1); y++) {
      for (let x = Math.max(0, cx - 1); x <= Math.min(w - 1, cx + 1); x++) {
        const q = y * w + x;
        const d = [x - x0, y - y0, x1 - x, y1 - y];
        if (d.some((v) => v <= 0)) continue;
        for (let k = 0; k < 4; k++) box[4 * q + k] = Math.log(d[k]);
        boxWeight[q] = 1;
      }
    }
  }
  for (let p = 0; p < n; p++) {
    const id = imap[p];
    if (id < 0 || !cnt[id]) continue;
    offset[2 * p] = (sy[id] / cnt[id] - Math.floor(p / w)) / OFFSET_SCALE;
    offset[2 * p + 1] = (sx[id] / cnt[id] - (p % w)) / OFFSET_SCALE;
    offsetWeight[p] = 1;
  }
  return { ...sem, center, centerWeight, offset, offsetWeight, box, boxWeight, numInstances };
}

/** Pixels of crowd, ignore and untrained-class instances carry no heatmap loss. */
function isExcluded(s: AugSample, id: number): boolean {
  const inst = s.instances[id];
  return inst.crowd || inst.ignore || inst.classIndex < 0;
}

export interface KeypointTargets {
  width: number;
  height: number;
  center: Float32Array;
  centerWeight: Float32Array;
  /** [h*w*17] heatmaps and their per-pixel weight [h*w] (shared by the 17 channels). */
  keypoints: Float32Array;
  keypointWeight: Float32Array;
  /** [h*w*34] (dx, dy) / OFFSET_SCALE per keypoint and per-channel weights. */
  offsets: Float32Array;
  offsetsWeight: Float32Array;
  /** [h*w*2] (log w, log h) and per-pixel weight. */
  size: Float32Array;
  sizeWeight: Float32Array;
  /** [h*w*2] sub-pixel (dx, dy) of keypoints in their peak cell, per-pixel weight. */
  local: Float32Array;
  localWeight: Float32Array;
  /** Person mask per output pixel: 1 person (crowds included), 0 other, 255 ignored/outside. */
  labels: Int32Array;
  numPersons: number;
}

/** Whether an instance is a person (class index `personClass`, 0 in the keypoints class spec) with
 * a box and labelled keypoints, crowds and `ignore` ones aside: the people keypoints are learnt from. */
export function hasLabelledKeypoints(inst: BaseInstance, personClass = 0): boolean {
  if (inst.crowd || inst.ignore || inst.classIndex !== personClass || !inst.keypoints || inst.bbox[2] <= 0 || inst.bbox[3] <= 0) return false;
  for (let j = 0; j < 17; j++) if (inst.keypoints[3 * j + 2] > 0) return true;
  return false;
}

/** `personClass`: the class index of the person category (0 for the keypoints class spec). */
export function keypointTargets(s: AugSample, cfg: TargetConfig, personClass = 0): KeypointTargets {
  const os = cfg.outputStride;
  const [w, h] = outputSize(s.width, s.height, os);
  const n = w * h;
  const imap = downsample(s.instanceMap, s.width, s.height, os, (m) => new Int32Array(m));
  const valid = downsample(s.valid, s.width, s.height, os, (m) => new Uint8Array(m));
  const t: KeypointTargets = {
    width: w,
    height: h,
    center: new Float32Array(n),
    centerWeight: new Float32Array(n),
    keypoints: new Float32Array(n * 17),
    keypointWeight: new Float32Array(n),
    offsets: new Float32Array(n * 34),
    offsetsWeight: new Float32Array(n * 34),
    size: new Float32Array(n * 2),
    sizeWeight: new Float32Array(n),
    local: new Float32Array(n * 2),
    localWeight: new Float32Array(n),
    labels: new Int32Array(n),
    numPersons: 0,
  };
  for (let p = 0; p < n; p++) {
    const id = imap[p];
    const inst = id >= 0 ? s.instances[id] : undefined;
    t.labels[p] = !valid[p] || inst?.ignore ? IGNORE_LABEL : inst && inst.classIndex === personClass ? 1 : 0;
  }
  const isLabelled = s.instances.map((inst) => hasLabelledKeypoints(inst, personClass));
  const isPerson = s.instances.map((inst) => !inst.crowd && !inst.ignore && inst.classIndex === personClass && inst.bbox[2] > 0 && inst.bbox[3] > 0);
  for (let p = 0; p < n; p++) {
    const id = imap[p];
    const other = id < 0 || s.instances[id].classIndex !== personClass;
    t.centerWeight[p] = valid[p] && (other || isPerson[id]) ? 1 : 0;
    t.keypointWeight[p] = valid[p] && (other || isLabelled[id]) ? 1 : 0;
  }
  for (let k = 0; k < s.instances.length; k++) {
    if (!isPerson[k]) continue;
    const inst = s.instances[k];
    const [bx, by, bw, bh] = inst.bbox;
    const cxf = (bx + bw / 2) / os - 0.5;
    const cyf = (by + bh / 2) / os - 0.5;
    const cx = Math.min(w - 1, Math.max(0, Math.round(cxf)));
    const cy = Math.min(h - 1, Math.max(0, Math.round(cyf)));
    const wo = bw / os;
    const ho = bh / os;
    const sigma = Math.max(cfg.minSigma, cfg.sigmaScale * Math.sqrt(wo * ho));
    const ksigma = Math.max(cfg.minSigma, cfg.keypointSigmaRatio * sigma);
    t.numPersons++;
    drawGaussian(t.center, w, h, cx, cy, sigma);
    // people without labelled keypoints: a centre and a size only
    const kp = isLabelled[k] ? inst.keypoints! : undefined;
    for (let j = 0; kp && j < 17; j++) {
      if (kp[3 * j + 2] <= 0) continue;
      const kx = kp[3 * j] / os - 0.5;
      const ky = kp[3 * j + 1] / os - 0.5;
      const ix = Math.min(w - 1, Math.max(0, Math.round(kx)));
      const iy = Math.min(h - 1, Math.max(0, Math.round(ky)));
      drawGaussian(t.keypoints, w, h, ix, iy, ksigma, j, 17);
      const q = iy * w + ix;
      t.local[2 * q] = kx - ix;
      t.local[2 * q + 1] = ky - iy;
      t.localWeight[q] = 1;
    }
    for (let y = Math.max(0, cy - 1); y <= Math.min(h - 1, cy + 1); y++) {
      for (let x = Math.max(0, cx - 1); x <= Math.min(w - 1, cx + 1); x++) {
        const q = y * w + x;
        for (let j = 0; kp && j < 17; j++) {
          if (kp[3 * j + 2] <= 0) continue;
          t.offsets[34 * q + 2 * j] = (kp[3 * j] / os - 0.5 - x) / OFFSET_SCALE;
          t.offsets[34 * q + 2 * j + 1] = (kp[3 * j + 1] / os - 0.5 - y) / OFFSET_SCALE;
          t.offsetsWeight[34 * q + 2 * j] = 1;
          t.offsetsWeight[34 * q + 2 * j + 1] = 1;
        }
        t.size[2 * q] = Math.log(Math.max(wo, 1e-3));
        t.size[2 * q + 1] = Math.log(Math.max(ho, 1e-3));
        t.sizeWeight[q] = 1;
      }
    }
  }
  return t;
}
