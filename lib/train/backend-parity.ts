// One training step of each task model on a backend against the same step on wasm: the model,
// its batch (a small synthetic dataset through the trainer's own batch pipeline,
// synthetic-batch.ts) and its parameters are the same on both; the step is the task loss, its
// gradients and a plain gradient descent update w - lr * g. Compared: the loss (LOSS_TOLERANCE),
// the gradients and the updated weights (max |a - b| / max |b| over every parameter tensor,
// PARITY_TOLERANCE). Also the fused softmax cross-entropy kernel's
// case, which the kernel cases of lib/nn/runtime/parity.ts leave to its op. Everything is read
// with `await data()`, so the step runs on webgpu, which has no synchronous read in Node.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { createTaskModel } from '../models/create.ts';
import type { Task } from '../models/dense.ts';
import { TASKS } from '../models/dense.ts';
import { InitRng } from '../nn/init.ts';
import { initBackend, type BackendChoice } from '../nn/runtime/backend.ts';
import { PARITY_TOLERANCE, relMaxDiff, type ParityCase } from '../nn/runtime/parity.ts';
import { SOFTMAX_CE } from '../nn/ops/softmax-cross-entropy.ts';
import { crossEntropySum } from './loss.ts';
import { getPreset, type PresetOverrides } from './presets.ts';
import { syntheticStep, type SyntheticStep } from './synthetic-batch.ts';
import { gradientTensors } from './task-gradients.ts';

/** Class per pixel of the softmax cross-entropy case, a fifth of them ignored (-1). */
function ceLabels(): Int32Array {
  const rng = new InitRng('parity/softmax-ce/labels');
  return Int32Array.from({ length: 60 }, () => (rng.u32() % 5 === 0 ? -1 : rng.u32() % 20));
}

/** The fused softmax cross-entropy (wasm) against the op-by-op formula (other backends). */
export const SOFTMAX_CE_CASE: ParityCase = {
  name: 'softmax cross-entropy (20 classes, ignored pixels)',
  kernels: [SOFTMAX_CE],
  inputs: { z: [2, 6, 5, 20] },
  fill: (_name, size, rng) => Float32Array.from({ length: size }, () => 3 * rng.normal()),
  run: ({ z }) => {
    const index = ceLabels();
    const f = (l: tf.Tensor) => crossEntropySum(l as tf.Tensor4D, index);
    return [f(z), tf.grad(f)(z)];
  },
};

export interface StepParity {
  task: Task;
  params: number;
  /** Pose crops in the batch (keypoints). */
  poseCrops: number;
  /** The loss on wasm and on the backend. */
  loss: [number, number];
  lossRelDiff: number;
  /** The loss term that differs most (relative), and by how much. */
  worstPart: [string, number];
  gradRelDiff: number;
  weightsRelDiff: number;
  ok: boolean;
}

/** A small model and batch, as the trainer builds them (quick preset, shrunk). */
const SMALL: PresetOverrides = { batchSize: 2, imageSize: [128, 64], cropSize: [64, 32], model: { width: 4, decoderWidth: 8 } };
/** keypoints: images large enough for synthetic people with labelled keypoints, so that the
 * batch has pose crops and the pose stage takes part (16 crops). */
const SMALL_KEYPOINTS: PresetOverrides = { ...SMALL, imageSize: [512, 256], cropSize: [256, 128] };

/**
 * The loss is compared at 1e-3, not at PARITY_TOLERANCE: WGSL specifies log with an absolute
 * error of 2^-21 near 1 (not a relative one), and the focal loss (objectives.ts focalSum) sums
 * softplus terms log(1 + e^z) of that size over every heatmap pixel. Seen on SwiftShader: the
 * pose term 1.1e-4 apart, while its gradients agree within 2e-6.
 */
export const LOSS_TOLERANCE = 1e-3;

/** Learning rate of the compared update. */
const LR = 0.01;

async function step(p: SyntheticStep): Promise<{ loss: number; parts: Record<string, number>; grads: Float32Array[]; weights: Float32Array[]; params: number }> {
  const model = createTaskModel(p.config);
  try {
    const t = gradientTensors(model, p.batch, p.preset);
    const loss = (await t.loss.data())[0];
    const parts: Record<string, number> = {};
    for (const [k, v] of Object.entries(t.parts)) parts[k] = (await v.data())[0];
    const grads = await Promise.all(t.grads.map(async (g) => new Float32Array(await g.data())));
    const updated = model.params.map((q, i) => tf.sub(q.variable, tf.mul(t.grads[i], LR)));
    const weights = await Promise.all(updated.map(async (w) => new Float32Array(await w.data())));
    tf.dispose([t.loss, ...Object.values(t.parts), ...t.grads, ...updated]);
    return { loss, parts, grads, weights, params: weights.reduce((a, w) => a + w.length, 0) };
  } finally {
    model.dispose();
  }
}

const maxOver = (a: Float32Array[], b: Float32Array[]) => Math.max(0, ...a.map((x, i) => relMaxDiff(x, b[i])));

/**
 * One training step of each task model on wasm and on `backend`, compared; leaves `backend`
 * running. The synthetic dataset is written to a temporary folder and removed.
 */
export async function stepParity(backend: BackendChoice, tasks: readonly Task[] = TASKS): Promise<StepParity[]> {
  const dir = await mkdtemp(join(tmpdir(), 'anon-impact-parity-'));
  try {
    await initBackend({ backend: 'wasm', log: false });
    const prepared: SyntheticStep[] = [];
    for (const task of tasks) prepared.push(await syntheticStep(join(dir, task), task, getPreset('quick', task, task === 'keypoints' ? SMALL_KEYPOINTS : SMALL), 3));
    const reference = [];
    for (const p of prepared) reference.push(await step(p));
    await initBackend({ backend, log: false });
    const out: StepParity[] = [];
    for (const [i, p] of prepared.entries()) {
      const r = reference[i];
      const g = await step(p);
      const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-30);
      const lossRelDiff = rel(g.loss, r.loss);
      const worstPart = Object.keys(r.parts)
        .map((k): [string, number] => [k, rel(g.parts[k], r.parts[k])])
        .reduce((a, b) => (b[1] > a[1] ? b : a), ['', 0]);
      const gradRelDiff = maxOver(g.grads, r.grads);
      const weightsRelDiff = maxOver(g.weights, r.weights);
      const ok = lossRelDiff <= LOSS_TOLERANCE && gradRelDiff <= PARITY_TOLERANCE && weightsRelDiff <= PARITY_TOLERANCE;
      out.push({ task: p.task, params: r.params, poseCrops: p.batch.pose?.n ?? 0, loss: [r.loss, g.loss], lossRelDiff, worstPart, gradRelDiff, weightsRelDiff, ok });
    }
    return out;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
