// The gradient of a task model's training loss (lib/train/objectives.ts) on a batch, or on a shard
// of a batch given the whole batch's normalisers: every loss term is a sum over the images divided
// by a normaliser counted over the whole batch, so the shards' losses and gradients add up to the
// batch's (data parallelism, lib/train/task-parallel.ts).
import * as tf from '@tensorflow/tfjs';
import type { DenseModel } from '../models/dense.ts';
import type { Batch } from './batch.ts';
import { batchNorms, focalSum, poseNorms, taskLoss, type BatchTargets, type Norms, type SemanticLossOptions } from './objectives.ts';
import type { Preset } from './presets.ts';

export interface TaskGradients {
  /** The loss (of this shard, when `norms` came from a larger batch). */
  loss: number;
  /** Its terms before the loss weights, by name. */
  parts: Record<string, number>;
  /** Gradients in parameter order (the caller disposes them). */
  grads: tf.Tensor[];
}

export function semanticOptions(preset: Pick<Preset, 'semanticTopK'>, classWeights?: Float32Array): SemanticLossOptions {
  return { topK: preset.semanticTopK, classWeights };
}

/** The loss normalisers of a whole batch (with its pose crops, if any). */
export function taskNorms(model: Pick<DenseModel, 'task' | 'heads'>, batch: Pick<Batch, 'targets' | 'pose'>, preset: Pick<Preset, 'semanticTopK'>, classWeights?: Float32Array): Norms {
  return { ...batchNorms(model.task, batch.targets, model.heads.semantic?.count ?? 0, semanticOptions(preset, classWeights)), ...poseNorms(batch.pose) };
}

/** The loss, its parts and the gradients in parameter order as tensors, not yet read (the caller disposes them). */
export interface TaskGradientTensors {
  loss: tf.Scalar;
  parts: Record<string, tf.Scalar>;
  grads: tf.Tensor[];
}

/**
 * One gradient computation as tensors, for backends that read asynchronously (webgpu);
 * computeGradients reads them. `norms` default to those of `batch` itself; pass the whole batch's
 * when `batch` is a shard of it. (With `semanticTopK` < 1 the hard pixels are mined within
 * `batch`, which reads the logits synchronously.)
 */
export function gradientTensors(model: DenseModel, batch: Batch, preset: Preset, classWeights?: Float32Array, norms?: Norms): TaskGradientTensors {
  const semantic = semanticOptions(preset, classWeights);
  const useNorms = norms ?? taskNorms(model, batch, preset, classWeights);
  const kept: Record<string, tf.Scalar> = {};
  const vars = model.params.map((p) => p.variable);
  const x = tf.tensor4d(batch.input, [batch.n, batch.height, batch.width, 3]);
  const pb = model.pose && batch.pose && batch.pose.n > 0 ? batch.pose : undefined;
  if (pb && useNorms.pose === undefined) throw new Error('the loss normalisers lack the pose crops\' (taskNorms of the whole batch)');
  const crops = pb && tf.tensor4d(pb.input, [pb.n, pb.height, pb.width, 3]);
  const { value, grads } = tf.variableGrads(() => {
    const out = model.apply(x);
    const r = taskLoss(model, out, batch.targets, useNorms, preset.lossWeights, semantic);
    let total = r.total;
    if (pb && crops) {
      const heat = tf.tensor4d(pb.heatmaps, [pb.n, pb.outHeight, pb.outWidth, 17]);
      const z = model.pose!.apply(crops);
      if (z.shape[1] !== pb.outHeight || z.shape[2] !== pb.outWidth) throw new Error(`pose output [${z.shape}] does not match its targets [${pb.n},${pb.outHeight},${pb.outWidth},17]`);
      r.parts.pose = tf.div(focalSum(z, heat, tf.ones([pb.n, pb.outHeight, pb.outWidth, 1])), useNorms.pose) as tf.Scalar;
      total = tf.add(total, tf.mul(r.parts.pose, preset.lossWeights.pose)) as tf.Scalar;
    }
    for (const [k, v] of Object.entries(r.parts)) kept[k] = tf.keep(v);
    return total;
  }, vars);
  x.dispose();
  crops?.dispose();
  // parameters that did not take part (the pose stage in a step without people) get zeros
  return { loss: value, parts: kept, grads: model.params.map((p) => grads[p.variable.name] ?? tf.zerosLike(p.variable)) };
}

/**
 * One gradient computation: loss value, its parts, gradients in parameter order. `norms`
 * default to those of `batch` itself; pass the whole batch's when `batch` is a shard of it.
 */
export async function computeGradients(model: DenseModel, batch: Batch, preset: Preset, classWeights?: Float32Array, norms?: Norms): Promise<TaskGradients> {
  const t = gradientTensors(model, batch, preset, classWeights, norms);
  // read asynchronously: the webgpu backend in Node has no synchronous read
  const loss = (await t.loss.data())[0];
  t.loss.dispose();
  const parts: Record<string, number> = {};
  for (const [k, v] of Object.entries(t.parts)) {
    parts[k] = (await v.data())[0];
    v.dispose();
  }
  return { loss, parts, grads: t.grads };
}
