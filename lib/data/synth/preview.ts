// Annotation previews: instance masks as tinted overlays with outlines, COCO skeletons
// (visible keypoints as filled dots, occluded ones as small dark dots) and face boxes,
// drawn over a copy of the image. Works for any dataset's Instances, not only synthetic ones.
import type { Image } from '../image.ts';
import { decode } from '../masks/index.ts';
import type { Instance } from '../types.ts';
import { COCO_SKELETON } from './person.ts';
import { Canvas } from './raster.ts';

export type PreviewInstance = Pick<Instance, 'mask' | 'category' | 'iscrowd' | 'keypoints' | 'faceBox'>;

export interface PreviewOptions {
  /** Opacity of the mask tint, 0..1 (default 0.45). */
  alpha?: number;
  /** Line width of skeletons in pixels (default 1). */
  lineWidth?: number;
}

// Distinct tints per category; instances of one category vary in brightness.
const TINTS: Record<string, [number, number, number]> = {
  person: [255, 40, 80],
  rider: [255, 140, 0],
  car: [40, 120, 255],
  bicycle: [180, 60, 255],
};

/** An RGB copy of `img` with the instances drawn over it. */
export function drawPreview(img: Image, instances: readonly PreviewInstance[], opts: PreviewOptions = {}): Image {
  if (img.channels !== 3) throw new RangeError(`drawPreview: expected an RGB image, got ${img.channels} channels`);
  const { width: W, height: H } = img;
  const alpha = Math.round((opts.alpha ?? 0.45) * 256);
  const lw = opts.lineWidth ?? 1;
  const out = new Uint8Array(img.data);
  instances.forEach((inst, n) => {
    if (inst.mask.h !== H || inst.mask.w !== W) throw new RangeError(`drawPreview: mask ${inst.mask.h}x${inst.mask.w} on a ${H}x${W} image`);
    const m = decode(inst.mask);
    const base = TINTS[inst.category] ?? [60, 220, 120];
    const k = 0.75 + 0.25 * ((n * 7) % 5) / 4;
    const tint = base.map((v) => Math.round(v * k));
    for (let y = 0, i = 0; y < H; y++) {
      for (let x = 0; x < W; x++, i++) {
        if (!m[i]) continue;
        const edge = x === 0 || y === 0 || x === W - 1 || y === H - 1 || !m[i - 1] || !m[i + 1] || !m[i - W] || !m[i + W];
        // crowds: hatched, so that they read as regions rather than one person
        const a = edge ? 256 : inst.iscrowd && ((x + y) & 3) !== 0 ? alpha >> 2 : alpha;
        for (let ch = 0; ch < 3; ch++) out[3 * i + ch] = (out[3 * i + ch] * (256 - a) + tint[ch] * a) >> 8;
      }
    }
  });
  const c = new Canvas(W, H);
  c.rgb.set(out);
  for (const inst of instances) {
    const kp = inst.keypoints;
    if (kp && kp.length === 51) {
      for (const [a, b] of COCO_SKELETON) {
        const i = a - 1;
        const j = b - 1;
        if (kp[3 * i + 2] > 0 && kp[3 * j + 2] > 0) {
          const left = i % 2 === 1 || j % 2 === 1;
          if (i <= 4 && j <= 4) c.color(255, 255, 255);
          else if (left) c.color(80, 255, 80);
          else c.color(255, 220, 40);
          c.line(kp[3 * i], kp[3 * i + 1], kp[3 * j], kp[3 * j + 1], lw);
        }
      }
      for (let j = 0; j < 17; j++) {
        const v = kp[3 * j + 2];
        if (v === 0) continue;
        if (v === 2) c.color(255, 255, 255);
        else c.color(20, 20, 20);
        c.fillEllipse(kp[3 * j], kp[3 * j + 1], v === 2 ? lw * 1.1 : lw * 0.8, v === 2 ? lw * 1.1 : lw * 0.8);
      }
    }
    const fb = inst.faceBox;
    if (fb) {
      const [x, y, w, h] = fb;
      c.color(0, 255, 255);
      const t = Math.max(0.6, lw * 0.6);
      c.fillRect(x - t, y - t, x + w + t, y);
      c.fillRect(x - t, y + h, x + w + t, y + h + t);
      c.fillRect(x - t, y, x, y + h);
      c.fillRect(x + w, y, x + w + t, y + h);
    }
  }
  return { width: W, height: H, channels: 3, data: c.rgb };
}
