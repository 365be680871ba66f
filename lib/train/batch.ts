// Assembles a batch: augmented samples -> the normalised input tensor data [N,H,W,3] and the
// task's targets, concatenated in sample order.
import type { DenseModel, Task } from '../models/dense.ts';
import type { AugSample } from './augment.ts';
import type { BatchTargets } from './objectives.ts';
import type { PoseBatch } from './pose-crops.ts';
import { instanceTargets, keypointTargets, outputSize, semanticTargets, type TargetConfig } from './targets.ts';

import { PIXEL_MEAN, PIXEL_STD } from '../nn/pixel-normalisation.ts';

export { PIXEL_MEAN, PIXEL_STD };

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
  /** keypoints with a pose stage: the step's person crops and their heatmaps. */
  pose?: PoseBatch;
}

/** The parts one after the other, in a new array of their type. */
function concat<T extends Float32Array | Int32Array>(parts: T[], make: (n: number) => T): T {
  const out = make(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

const floats = (n: number) => new Float32Array(n);
const ints = (n: number) => new Int32Array(n);

type FloatField = { [K in keyof BatchTargets]-?: NonNullable<BatchTargets[K]> extends Float32Array ? K : never }[keyof BatchTargets];

/** The per-sample targets' `labels` and float `fields`, concatenated in sample order into `targets` (same names). */
function gather<T extends { labels: Int32Array } & Partial<Record<FloatField, Float32Array>>>(targets: BatchTargets, ts: T[], fields: FloatField[]): void {
  targets.labels = concat(ts.map((t) => t.labels), ints);
  for (const f of fields) targets[f] = concat(ts.map((t) => t[f]!), floats);
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
    targets.labels = concat(samples.map((s) => semanticTargets(s, cfg.outputStride).labels), ints);
  } else if (task === 'instances') {
    const things = (model.config.thingClasses as number[] | undefined) ?? [];
    gather(targets, samples.map((s) => instanceTargets(s, things, cfg)), ['center', 'centerWeight', 'offset', 'offsetWeight', 'box', 'boxWeight']);
  } else {
    gather(targets, samples.map((s) => keypointTargets(s, cfg)), ['center', 'centerWeight', 'keypoints', 'keypointWeight', 'offsets', 'offsetsWeight', 'size', 'sizeWeight', 'local', 'localWeight']);
  }
  return { n: samples.length, width: W, height: H, input, targets };
}
