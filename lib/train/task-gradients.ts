// The gradient of a task model's training loss (lib/train/objectives.ts) on a batch, or on a shard
// of a batch given the whole batch's normalisers: every loss term is a sum over the images divided
// by a normaliser counted over the whole batch, so the shards' losses and gradients add up to the
// batch's (data parallelism, lib/train/task-parallel.ts).
import * as tf from '@tensorflow/tfjs';
import type { DenseModel } from '../models/dense.ts';
import type { Batch } from './batch.ts';
import { batchNorms, taskLoss, type BatchTargets, type Norms, type SemanticLossOptions } from './objectives.ts';
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

/** The loss normalisers of a whole batch. */
export function taskNorms(model: Pick<DenseModel, 'task' | 'heads'>, targets: BatchTargets, preset: Pick<Preset, 'semanticTopK'>, classWeights?: Float32Array): Norms {
  return batchNorms(model.task, targets, model.heads.semantic?.count ?? 0, semanticOptions(preset, classWeights));
}

/**
 * One gradient computation: loss value, its parts, gradients in parameter order. `norms`
 * default to those of `batch` itself; pass the whole batch's when `batch` is a shard of it.
 * (With `semanticTopK` < 1 the hard pixels are mined within `batch`.)
 */
export function computeGradients(model: DenseModel, batch: Batch, preset: Preset, classWeights?: Float32Array, norms?: Norms): TaskGradients {
  const semantic = semanticOptions(preset, classWeights);
  const useNorms = norms ?? taskNorms(model, batch.targets, preset, classWeights);
  const kept: Record<string, tf.Scalar> = {};
  const vars = model.params.map((p) => p.variable);
  const x = tf.tensor4d(batch.input, [batch.n, batch.height, batch.width, 3]);
  const { value, grads } = tf.variableGrads(() => {
    const out = model.apply(x);
    const r = taskLoss(model, out, batch.targets, useNorms, preset.lossWeights, semantic);
    for (const [k, v] of Object.entries(r.parts)) kept[k] = tf.keep(v);
    return r.total;
  }, vars);
  x.dispose();
  const loss = value.dataSync()[0];
  value.dispose();
  const parts: Record<string, number> = {};
  for (const [k, v] of Object.entries(kept)) {
    parts[k] = v.dataSync()[0];
    v.dispose();
  }
  return { loss, parts, grads: model.params.map((p) => grads[p.variable.name]) };
}
