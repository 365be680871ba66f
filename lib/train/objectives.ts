// The training loss of each task, on a batch of model outputs and targets. Every term is a sum
// over the batch divided by a normaliser counted over the whole batch (`norms`), so that shards of
// a batch (data parallelism) add up to the loss of the batch.
//
//   semantic   softmax cross-entropy over labelled pixels / labelled pixels (loss.ts); with
//              `semanticTopK` < 1, bootstrapped ("hard pixel mining") as in DeepLab / Panoptic-
//              DeepLab: only the ceil(topK * labelled) pixels of largest loss of the (shard of
//              the) batch count, / ceil(topK * labelled pixels of the whole batch); with class
//              weights (lib/train/class-weights.ts), pixel p counts w[y_p] and the normaliser is the
//              sum of the labelled pixels' weights (torch's cross_entropy(weight=...) mean)
//   heatmaps   penalty-reduced pixel-wise focal loss of CornerNet/CenterNet (alpha 2, beta 4):
//                -(1-p)^2 log p                 where the target is 1,
//                -(1-y)^4 p^2 log(1-p)          elsewhere,
//              weighted per pixel, / number of positives
//   regression L1 over weighted entries / total weight (offsets, size, sub-pixel positions)
import * as tf from '@tensorflow/tfjs';
import { headOf, type DenseModel } from '../models/dense.ts';
import { crossEntropySum, prepareLabels } from './loss.ts';
import { IGNORE_LABEL } from './classes.ts';

/** Targets of a batch, flattened in [N,H,W,(C)] order. */
export interface BatchTargets {
  n: number;
  width: number;
  height: number;
  labels?: Int32Array;
  center?: Float32Array;
  centerWeight?: Float32Array;
  offset?: Float32Array;
  offsetWeight?: Float32Array;
  box?: Float32Array;
  boxWeight?: Float32Array;
  keypoints?: Float32Array;
  keypointWeight?: Float32Array;
  offsets?: Float32Array;
  offsetsWeight?: Float32Array;
  size?: Float32Array;
  sizeWeight?: Float32Array;
  local?: Float32Array;
  localWeight?: Float32Array;
}

export interface LossWeights {
  semantic: number;
  center: number;
  offset: number;
  keypoints: number;
  offsets: number;
  size: number;
  local: number;
  box: number;
  /** The top-down pose stage's heatmaps (keypoints models with one). */
  pose: number;
}

/** Term weights. The instances' box term (L1 of log distances) and the keypoints' size term (L1
 * of log width and height) weigh 1: CenterNet's 0.1 is for sizes regressed in pixels, whose L1 is
 * an order of magnitude larger; at 0.1 the quick instance model's boxes stayed ~75% off after
 * 1000 steps (mean log error 0.56) and bbox AP was 4x lower than at 1, and the quick keypoints
 * model's person bbox AP was 0.031 against 0.049 at 1 (measured on the synthetic dataset,
 * docs/train.md). */
export const DEFAULT_LOSS_WEIGHTS: LossWeights = { semantic: 1, center: 1, offset: 1, keypoints: 1, offsets: 1, size: 1, local: 1, box: 1, pose: 1 };

/** Normalisers of the loss terms, counted over the whole batch. */
export type Norms = Record<string, number>;

function countPositives(t: Float32Array, w: Float32Array, channels: number): number {
  let n = 0;
  for (let i = 0; i < t.length; i++) if (t[i] === 1 && w[Math.floor(i / channels)] > 0) n++;
  return n;
}

function sum(a: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s;
}

export interface SemanticLossOptions {
  /** Fraction of labelled pixels kept (bootstrapped cross-entropy); 1 keeps all. */
  topK: number;
  /** Per-class weights; absent: all 1. */
  classWeights?: Float32Array;
}

export function batchNorms(task: DenseModel['task'], t: BatchTargets, numClasses = 0, semantic: SemanticLossOptions = { topK: 1 }): Norms {
  const norms: Norms = {};
  if (t.labels) {
    let c = 0;
    let wsum = 0;
    for (let i = 0; i < t.labels.length; i++) {
      const y = t.labels[i];
      if (y === IGNORE_LABEL || y >= numClasses) continue;
      c++;
      wsum += semantic.classWeights ? semantic.classWeights[y] : 1;
    }
    if (semantic.topK < 1) norms.semantic = Math.max(1, Math.ceil(semantic.topK * c));
    else norms.semantic = semantic.classWeights ? Math.max(1e-6, wsum) : Math.max(1, c);
  }
  if (t.center) norms.center = Math.max(1, countPositives(t.center, t.centerWeight!, 1));
  if (task === 'instances') {
    norms.offset = Math.max(1, 2 * sum(t.offsetWeight!));
    norms.box = Math.max(1, 4 * sum(t.boxWeight!));
  }
  if (task === 'keypoints') {
    norms.keypoints = Math.max(1, countPositives(t.keypoints!, t.keypointWeight!, 17));
    norms.offsets = Math.max(1, sum(t.offsetsWeight!));
    norms.size = Math.max(1, 2 * sum(t.sizeWeight!));
    norms.local = Math.max(1, 2 * sum(t.localWeight!));
  }
  return norms;
}

/** The pose stage's normaliser: heatmap positives over the whole batch of crops. */
export function poseNorms(pose: { heatmaps: Float32Array } | undefined): Norms {
  if (!pose) return {};
  let n = 0;
  for (let i = 0; i < pose.heatmaps.length; i++) if (pose.heatmaps[i] === 1) n++;
  return { pose: Math.max(1, n) };
}

/** Focal-loss sum of heatmap logits z [N,H,W,C] against targets y, per-pixel weights w [N,H,W,1]. */
export function focalSum(z: tf.Tensor4D, y: tf.Tensor4D, w: tf.Tensor4D): tf.Scalar {
  return tf.tidy(() => {
    const pos = tf.cast(tf.equal(y, 1), 'float32');
    const neg = tf.sub(1, pos);
    const p = tf.sigmoid(z);
    const logP = tf.neg(tf.softplus(tf.neg(z)));
    const log1mP = tf.neg(tf.softplus(z));
    const posTerm = tf.mul(tf.mul(tf.square(tf.sub(1, p)), logP), pos);
    const negTerm = tf.mul(tf.mul(tf.mul(tf.pow(tf.sub(1, y), 4), tf.square(p)), log1mP), neg);
    return tf.neg(tf.sum(tf.mul(tf.add(posTerm, negTerm), w))) as tf.Scalar;
  });
}

/** Weighted L1 sum. */
export function l1Sum(pred: tf.Tensor, target: tf.Tensor, weight: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.sum(tf.mul(tf.abs(tf.sub(pred, target)), weight)) as tf.Scalar);
}

/**
 * The one-hot index of the `topK` fraction of labelled pixels with the largest cross-entropy
 * (-1 elsewhere); ties at the threshold are taken in pixel order. `z`: logits [P, C] row-major.
 */
export function hardPixels(z: Float32Array, index: Int32Array, C: number, topK: number): Int32Array {
  const P = index.length;
  const loss = new Float32Array(P);
  const labelled: number[] = [];
  for (let p = 0; p < P; p++) {
    const y = index[p];
    if (y < 0) continue;
    let m = -Infinity;
    for (let c = 0; c < C; c++) m = Math.max(m, z[p * C + c]);
    let s = 0;
    for (let c = 0; c < C; c++) s += Math.exp(z[p * C + c] - m);
    loss[p] = m + Math.log(s) - z[p * C + y];
    labelled.push(p);
  }
  const k = Math.ceil(topK * labelled.length);
  if (k >= labelled.length) return index;
  const sorted = Float32Array.from(labelled, (p) => loss[p]).sort();
  const threshold = sorted[sorted.length - k];
  let above = 0;
  for (const p of labelled) if (loss[p] > threshold) above++;
  let ties = k - above;
  const out = new Int32Array(P).fill(-1);
  for (const p of labelled) {
    if (loss[p] > threshold) out[p] = index[p];
    else if (loss[p] === threshold && ties > 0) {
      out[p] = index[p];
      ties--;
    }
  }
  return out;
}

export interface LossParts {
  total: tf.Scalar;
  parts: Record<string, tf.Scalar>;
}

/**
 * The task loss of outputs [N,h,w,C] on this (shard of a) batch. `norms` come from the whole
 * batch (batchNorms); the result is differentiable with respect to the outputs.
 */
/** Cross-entropy summed over labelled pixels (index >= 0), pixel p weighted by classWeights[index[p]]. */
export function weightedCrossEntropySum(logits: tf.Tensor4D, index: Int32Array, classWeights: Float32Array): tf.Scalar {
  const [n, h, w, c] = logits.shape;
  const P = n * h * w;
  if (index.length !== P) throw new Error(`labels have ${index.length} pixels, logits ${P}`);
  if (classWeights.length !== c) throw new Error(`${classWeights.length} class weights for ${c} classes`);
  const wp = new Float32Array(P);
  const safe = new Int32Array(P);
  for (let p = 0; p < P; p++) {
    if (index[p] < 0) continue;
    wp[p] = classWeights[index[p]];
    safe[p] = index[p];
  }
  return tf.tidy(() => {
    const z = tf.reshape(logits, [P, c]);
    const lse = tf.logSumExp(z, 1);
    const picked = tf.sum(tf.mul(z, tf.oneHot(tf.tensor1d(safe, 'int32'), c).toFloat()), 1);
    return tf.sum(tf.mul(tf.sub(lse, picked), tf.tensor1d(wp))) as tf.Scalar;
  });
}

export function taskLoss(model: DenseModel, out: tf.Tensor4D, t: BatchTargets, norms: Norms, weights: LossWeights = DEFAULT_LOSS_WEIGHTS, semantic: SemanticLossOptions = { topK: 1 }): LossParts {
  const [n, h, w] = out.shape;
  if (n !== t.n || h !== t.height || w !== t.width) throw new Error(`model output [${out.shape}] does not match the targets [${t.n},${t.height},${t.width}]`);
  const parts: Record<string, tf.Scalar> = {};
  const map = (a: Float32Array, c: number) => tf.tensor4d(a, [n, h, w, c]);
  if (model.heads.semantic && t.labels) {
    const logits = headOf(model, out, 'semantic');
    let { index } = prepareLabels(t.labels!, logits.shape[3], IGNORE_LABEL);
    if (semantic.topK < 1) index = hardPixels(logits.dataSync() as Float32Array, index, logits.shape[3], semantic.topK);
    const sum = semantic.classWeights && semantic.topK >= 1 && semantic.classWeights.length === logits.shape[3] ? weightedCrossEntropySum(logits, index, semantic.classWeights) : crossEntropySum(logits, index);
    parts.semantic = tf.div(sum, norms.semantic) as tf.Scalar;
  }
  if (model.task === 'instances') {
    parts.center = tf.div(focalSum(headOf(model, out, 'center'), map(t.center!, 1), map(t.centerWeight!, 1)), norms.center) as tf.Scalar;
    parts.offset = tf.div(l1Sum(headOf(model, out, 'offset'), map(t.offset!, 2), map(t.offsetWeight!, 1)), norms.offset) as tf.Scalar;
    parts.box = tf.div(l1Sum(headOf(model, out, 'box'), map(t.box!, 4), map(t.boxWeight!, 1)), norms.box) as tf.Scalar;
  }
  if (model.task === 'keypoints') {
    parts.center = tf.div(focalSum(headOf(model, out, 'center'), map(t.center!, 1), map(t.centerWeight!, 1)), norms.center) as tf.Scalar;
    parts.keypoints = tf.div(focalSum(headOf(model, out, 'keypoints'), map(t.keypoints!, 17), map(t.keypointWeight!, 1)), norms.keypoints) as tf.Scalar;
    parts.offsets = tf.div(l1Sum(headOf(model, out, 'offsets'), map(t.offsets!, 34), map(t.offsetsWeight!, 34)), norms.offsets) as tf.Scalar;
    parts.size = tf.div(l1Sum(headOf(model, out, 'size'), map(t.size!, 2), map(t.sizeWeight!, 1)), norms.size) as tf.Scalar;
    parts.local = tf.div(l1Sum(headOf(model, out, 'local'), map(t.local!, 2), map(t.localWeight!, 1)), norms.local) as tf.Scalar;
  }
  let total: tf.Scalar | undefined;
  for (const [k, v] of Object.entries(parts)) {
    const wv = weights[k as keyof LossWeights];
    const term = tf.mul(v, wv) as tf.Scalar;
    total = total ? (tf.add(total, term) as tf.Scalar) : term;
  }
  return { total: total!, parts };
}
