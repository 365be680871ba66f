// Person crops for the top-down pose network (lib/models/pose.ts), in training and prediction.
//
// A person box [x, y, w, h] (base-size pixels) is enlarged by `expand` about its centre, then
// widened or heightened to the input's aspect ratio; that region is resampled onto the input
// canvas with the geometric augmentation's transform (lib/train/augment.ts: bilinear, pixel
// centres, 0 outside the image), optionally mirrored (keypoints then swap left and right).
// Training draws, for each crop, one person with labelled keypoints from the step's images and
// jitters its box (log-uniform scale, a shift in fractions of the box size, a flip), so that the
// network learns from detected boxes that are neither centred nor of the right size. Targets are
// one Gaussian per labelled keypoint inside the crop, peak 1 at the keypoint's nearest heatmap
// cell (the focal-loss heatmaps of lib/train/targets.ts), sigma in heatmap cells.
import type { Box } from '../data/types.ts';
import type { InitRng } from '../nn/init.ts';
import { augment, transformKeypoints, type AugParams } from './augment.ts';
import { normalizeInto } from './batch.ts';
import type { BaseInstance, BaseSample } from './loader.ts';
import { drawGaussian, hasLabelledKeypoints, outputSize } from './targets.ts';

export interface PoseCropGeometry {
  /** Network input [width, height]. */
  inputSize: [number, number];
  /** Box enlargement before the aspect fit. */
  expand: number;
  /** The network's output stride. */
  outputStride: number;
}

export interface PoseTrainConfig {
  /** Crops per step (0: the pose network is not trained). */
  batchSize: number;
  /** Heatmap Gaussian sigma in output cells. */
  sigma: number;
  /** Log-uniform box scale jitter [min, max]. */
  scaleJitter: [number, number];
  /** Uniform shift of the box centre, +- this fraction of the box width and height. */
  shiftJitter: number;
  /** Random horizontal flip with probability 1/2. */
  flip: boolean;
}

/** Crops of a step: normalised input [n, h, w, 3] and heatmap targets [n, outH, outW, 17]. */
export interface PoseBatch {
  n: number;
  width: number;
  height: number;
  outWidth: number;
  outHeight: number;
  input: Float32Array;
  heatmaps: Float32Array;
}

/** The transform that puts `box`, enlarged by `expand` and fitted to the input's aspect, onto the input canvas. */
export function poseCropParams(box: Box, inputSize: [number, number], expand: number, flip = false): AugParams {
  const [bx, by, bw, bh] = box;
  const aspect = inputSize[0] / inputSize[1];
  let cw = Math.max(1, bw) * expand;
  let ch = Math.max(1, bh) * expand;
  if (cw / ch > aspect) ch = cw / aspect;
  else cw = ch * aspect;
  const scale = inputSize[1] / ch;
  return { scale, flip, offsetX: (bx + bw / 2 - cw / 2) * scale, offsetY: (by + bh / 2 - ch / 2) * scale };
}

/** A point of the crop canvas (continuous pixel coordinates) back in base-size coordinates. */
export function cropToBase(qx: number, qy: number, p: AugParams, canvasWidth: number): [number, number] {
  const x = p.flip ? canvasWidth - qx : qx;
  return [(x + p.offsetX) / p.scale, (qy + p.offsetY) / p.scale];
}

/** The crop's normalised pixels, written into `out` at `offset`. */
export function cropInto(base: BaseSample, p: AugParams, inputSize: [number, number], out: Float32Array, offset: number): void {
  normalizeInto(augment({ ...base, instances: [] }, p, inputSize).image, out, offset);
}

/** Heatmap targets [outH * outW * 17] of keypoints given in crop coordinates (v = 0: absent). */
export function poseHeatmaps(kp: Float32Array, g: PoseCropGeometry, sigma: number): Float32Array {
  const os = g.outputStride;
  const [w, h] = outputSize(g.inputSize[0], g.inputSize[1], os);
  const out = new Float32Array(w * h * 17);
  for (let j = 0; j < 17; j++) {
    if (kp[3 * j + 2] <= 0) continue;
    const ix = Math.round(kp[3 * j] / os - 0.5);
    const iy = Math.round(kp[3 * j + 1] / os - 0.5);
    if (ix < 0 || iy < 0 || ix >= w || iy >= h) continue;
    drawGaussian(out, w, h, ix, iy, sigma, j, 17);
  }
  return out;
}

/** `cfg.batchSize` jittered crops of people with keypoints in `samples`; undefined when there are none. */
export function drawPoseCrops(rng: InitRng, samples: readonly BaseSample[], g: PoseCropGeometry, cfg: PoseTrainConfig): PoseBatch | undefined {
  const people: [BaseSample, BaseInstance][] = [];
  for (const s of samples) for (const inst of s.instances) if (hasLabelledKeypoints(inst)) people.push([s, inst]);
  if (people.length === 0 || cfg.batchSize <= 0) return undefined;
  const [W, H] = g.inputSize;
  const [ow, oh] = outputSize(W, H, g.outputStride);
  const n = cfg.batchSize;
  const input = new Float32Array(n * W * H * 3);
  const heatmaps = new Float32Array(n * ow * oh * 17);
  const u = () => rng.uniformOpen();
  const [smin, smax] = cfg.scaleJitter;
  for (let i = 0; i < n; i++) {
    const [s, inst] = people[Math.min(people.length - 1, Math.floor(u() * people.length))];
    const k = Math.exp(Math.log(smin) + (Math.log(smax) - Math.log(smin)) * u());
    const [bx, by, bw, bh] = inst.bbox;
    const cx = bx + bw / 2 + (2 * u() - 1) * cfg.shiftJitter * bw;
    const cy = by + bh / 2 + (2 * u() - 1) * cfg.shiftJitter * bh;
    const flip = cfg.flip && u() < 0.5;
    const p = poseCropParams([cx - (k * bw) / 2, cy - (k * bh) / 2, k * bw, k * bh], g.inputSize, g.expand, flip);
    cropInto(s, p, g.inputSize, input, i * W * H * 3);
    heatmaps.set(poseHeatmaps(transformKeypoints(inst.keypoints!, p, W, H), g, cfg.sigma), i * ow * oh * 17);
  }
  return { n, width: W, height: H, outWidth: ow, outHeight: oh, input, heatmaps };
}
