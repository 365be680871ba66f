// Seeded geometric augmentation of a base-size sample onto the model's input canvas: scale jitter,
// crop (or placement, when the scaled image is smaller than the canvas) and horizontal flip. The
// image is resampled bilinearly, label maps by nearest neighbour; boxes and keypoints follow the
// same transform, and a flip swaps each left/right keypoint pair (COCO order).
//
// In continuous pixel coordinates (pixel i covers [i, i+1)), a base-size point P goes to
//   Q = P * scale - offset,   then, when flipped, Qx = W - Qx,
// so output pixel (j, i) samples the base image at ((j + 0.5 [mirrored]) + offset) / scale.
import type { Box } from '../data/types.ts';
import { InitRng } from '../nn/init.ts';
import { COCO_FLIP } from '../models/keypoints.ts';
import { IGNORE_LABEL } from './classes.ts';
import type { BaseInstance, BaseSample } from './loader.ts';

export interface AugParams {
  scale: number;
  flip: boolean;
  offsetX: number;
  offsetY: number;
}

export interface AugConfig {
  /** Scale jitter range relative to the base size (log-uniform). */
  scaleMin: number;
  scaleMax: number;
  /** Random horizontal flip with probability 1/2. */
  flip: boolean;
  /** Probability of placing the crop around a randomly chosen object of interest (default 0). */
  focus?: number;
}

export interface AugSample {
  width: number;
  height: number;
  /** RGB 8-bit, row-major, width x height; 0 outside the source image. */
  image: Uint8Array;
  /** 1 where the pixel comes from the source image. */
  valid: Uint8Array;
  semantic?: Uint8Array;
  instanceMap: Int32Array;
  instances: BaseInstance[];
}

/** The identity placement (prediction): base image at the top-left of the canvas. */
export const IDENTITY: AugParams = Object.freeze({ scale: 1, flip: false, offsetX: 0, offsetY: 0 });

/**
 * Draws augmentation parameters for one sample from `rng`. The crop offset is uniform over the
 * placements that keep the crop on the scaled image (or the image inside the crop, when smaller);
 * with probability `cfg.focus`, when `focus` points are given (centres of objects of interest in
 * base coordinates), it is instead drawn so that a randomly chosen point lies inside the crop,
 * between 10% and 90% of its width and height, clamped to the same placements.
 */
export function drawAugParams(rng: InitRng, base: { width: number; height: number }, canvas: [number, number], cfg: AugConfig, focus: readonly [number, number][] = []): AugParams {
  const u = () => (rng.u32() + 0.5) / 4294967296;
  const lo = Math.log(cfg.scaleMin);
  const hi = Math.log(cfg.scaleMax);
  const scale = Math.exp(lo + (hi - lo) * u());
  const flip = cfg.flip ? u() < 0.5 : false;
  const range = (scaled: number, size: number): [number, number] => [Math.ceil(Math.min(0, scaled - size)), Math.floor(Math.max(0, scaled - size))];
  // an integer offset in [a, b]
  const pick = ([a, b]: [number, number]) => a + Math.min(b - a, Math.floor((b - a + 1) * u()));
  const rx = range(base.width * scale, canvas[0]);
  const ry = range(base.height * scale, canvas[1]);
  if (cfg.focus && focus.length > 0 && u() < cfg.focus) {
    const [fx, fy] = focus[Math.min(focus.length - 1, Math.floor(u() * focus.length))];
    const at = (c: number, size: number, [a, b]: [number, number]) => Math.min(b, Math.max(a, Math.round(c * scale - size * (0.1 + 0.8 * u()))));
    return { scale, flip, offsetX: at(fx, canvas[0], rx), offsetY: at(fy, canvas[1], ry) };
  }
  return { scale, flip, offsetX: pick(rx), offsetY: pick(ry) };
}

/** Applies the transform to a base-size point. */
export function transformPoint(x: number, y: number, p: AugParams, canvasWidth: number): [number, number] {
  let qx = x * p.scale - p.offsetX;
  const qy = y * p.scale - p.offsetY;
  if (p.flip) qx = canvasWidth - qx;
  return [qx, qy];
}

function transformBox(b: Box, p: AugParams, W: number, H: number): Box {
  const [ax, ay] = transformPoint(b[0], b[1], p, W);
  const [bx, by] = transformPoint(b[0] + b[2], b[1] + b[3], p, W);
  const x0 = Math.max(0, Math.min(ax, bx));
  const x1 = Math.min(W, Math.max(ax, bx));
  const y0 = Math.max(0, Math.min(ay, by));
  const y1 = Math.min(H, Math.max(ay, by));
  return [x0, y0, Math.max(0, x1 - x0), Math.max(0, y1 - y0)];
}

/** Keypoints under the transform; flipped ones swap left and right; points off the canvas get v = 0. */
export function transformKeypoints(kp: Float32Array, p: AugParams, W: number, H: number): Float32Array {
  const out = new Float32Array(51);
  for (let j = 0; j < 17; j++) {
    const src = p.flip ? COCO_FLIP[j] : j;
    const v = kp[3 * src + 2];
    if (v <= 0) continue;
    const [x, y] = transformPoint(kp[3 * src], kp[3 * src + 1], p, W);
    if (x < 0 || x >= W || y < 0 || y >= H) continue;
    out[3 * j] = x;
    out[3 * j + 1] = y;
    out[3 * j + 2] = v;
  }
  return out;
}

export function augment(s: BaseSample, p: AugParams, canvas: [number, number]): AugSample {
  const [W, H] = canvas;
  const bw = s.width;
  const bh = s.height;
  const n = W * H;
  const image = new Uint8Array(n * 3);
  const valid = new Uint8Array(n);
  const semantic = s.semantic ? new Uint8Array(n).fill(IGNORE_LABEL) : undefined;
  const instanceMap = new Int32Array(n).fill(-1);
  const inv = 1 / p.scale;
  for (let i = 0; i < H; i++) {
    const py = (i + 0.5 + p.offsetY) * inv;
    if (py < 0 || py >= bh) continue;
    const ny = Math.floor(py);
    // bilinear rows (pixel-centre convention, edges clamped)
    const fy = py - 0.5;
    const y0 = Math.max(0, Math.min(bh - 1, Math.floor(fy)));
    const y1 = Math.min(bh - 1, y0 + 1);
    const wy = Math.max(0, Math.min(1, fy - y0));
    for (let j = 0; j < W; j++) {
      const qx = p.flip ? W - (j + 0.5) : j + 0.5;
      const px = (qx + p.offsetX) * inv;
      if (px < 0 || px >= bw) continue;
      const o = i * W + j;
      const nx = Math.floor(px);
      valid[o] = 1;
      const b = ny * bw + nx;
      if (semantic) semantic[o] = s.semantic![b];
      instanceMap[o] = s.instanceMap[b];
      const fx = px - 0.5;
      const x0 = Math.max(0, Math.min(bw - 1, Math.floor(fx)));
      const x1 = Math.min(bw - 1, x0 + 1);
      const wx = Math.max(0, Math.min(1, fx - x0));
      const a00 = (y0 * bw + x0) * 3;
      const a01 = (y0 * bw + x1) * 3;
      const a10 = (y1 * bw + x0) * 3;
      const a11 = (y1 * bw + x1) * 3;
      for (let c = 0; c < 3; c++) {
        const top = s.image[a00 + c] * (1 - wx) + s.image[a01 + c] * wx;
        const bot = s.image[a10 + c] * (1 - wx) + s.image[a11 + c] * wx;
        image[o * 3 + c] = Math.round(top * (1 - wy) + bot * wy);
      }
    }
  }
  const instances = s.instances.map((inst) => {
    const t: BaseInstance = { ...inst, bbox: transformBox(inst.bbox, p, W, H) };
    if (inst.keypoints) t.keypoints = transformKeypoints(inst.keypoints, p, W, H);
    return t;
  });
  return { width: W, height: H, image, valid, semantic, instanceMap, instances };
}
