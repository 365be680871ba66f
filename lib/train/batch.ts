// Assembles a batch: augmented samples -> the normalised input tensor data [N,H,W,3] and the
// task's targets, concatenated in sample order.
import type { DenseModel, Task } from '../models/dense.ts';
import type { AugSample } from './augment.ts';
import type { BatchTargets } from './objectives.ts';
import { instanceTargets, keypointTargets, outputSize, semanticTargets, type TargetConfig } from './targets.ts';

/** Per-channel normalisation of 8-bit RGB: (v / 255 - mean) / std (the ImageNet statistics). */
export const PIXEL_MEAN = [0.485, 0.456, 0.406] as const;
export const PIXEL_STD = [0.229, 0.224, 0.225] as const;

/** Writes one image's normalised pixels into `out` at `offset` (floats). */
export function normalizeInto(rgb: Uint8Array, out: Float32Array, offset: number): void {
  const n = rgb.length / 3;
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < 3; c++) out[offset + 3 * i + c] = (rgb[3 * i + c] / 255 - PIXEL_MEAN[c]) / PIXEL_STD[c];
  }
}

export interface Batch {
  n: number;
  width: number;
  height: number;
  input: Float32Array;
  targets: BatchTargets;
}

function concat(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function concatInt(parts: Int32Array[]): Int32Array {
  const out = new Int32Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export function assembleBatch(task: Task, model: Pick<DenseModel, 'config'>, samples: AugSample[], cfg: TargetConfig): Batch {
  if (samples.length === 0) throw new Error('empty batch');
  const { width: W, height: H } = samples[0];
  for (const s of samples) if (s.width !== W || s.height !== H) throw new Error(`batch samples differ in size: ${s.width}x${s.height} vs ${W}x${H}`);
  const input = new Float32Array(samples.length * W * H * 3);
  samples.forEach((s, i) => normalizeInto(s.image, input, i * W * H * 3));
  const [w, h] = outputSize(W, H, cfg.outputStride);
  const targets: BatchTargets = { n: samples.length, width: w, height: h };
  if (task === 'semseg') {
    targets.labels = concatInt(samples.map((s) => semanticTargets(s, cfg.outputStride).labels));
  } else if (task === 'instances') {
    const things = (model.config.thingClasses as number[] | undefined) ?? [];
    const ts = samples.map((s) => instanceTargets(s, things, cfg));
    targets.labels = concatInt(ts.map((t) => t.labels));
    targets.center = concat(ts.map((t) => t.center));
    targets.centerWeight = concat(ts.map((t) => t.centerWeight));
    targets.offset = concat(ts.map((t) => t.offset));
    targets.offsetWeight = concat(ts.map((t) => t.offsetWeight));
    targets.box = concat(ts.map((t) => t.box));
    targets.boxWeight = concat(ts.map((t) => t.boxWeight));
  } else {
    const ts = samples.map((s) => keypointTargets(s, cfg));
    targets.labels = concatInt(ts.map((t) => t.labels));
    targets.center = concat(ts.map((t) => t.center));
    targets.centerWeight = concat(ts.map((t) => t.centerWeight));
    targets.keypoints = concat(ts.map((t) => t.keypoints));
    targets.keypointWeight = concat(ts.map((t) => t.keypointWeight));
    targets.offsets = concat(ts.map((t) => t.offsets));
    targets.offsetsWeight = concat(ts.map((t) => t.offsetWeight));
    targets.size = concat(ts.map((t) => t.size));
    targets.sizeWeight = concat(ts.map((t) => t.sizeWeight));
    targets.local = concat(ts.map((t) => t.local));
    targets.localWeight = concat(ts.map((t) => t.localWeight));
  }
  return { n: samples.length, width: W, height: H, input, targets };
}
