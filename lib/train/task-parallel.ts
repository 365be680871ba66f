// Data-parallel gradients of the task models (lib/models/create.ts) on the worker threads of
// lib/train/worker-pool.ts, for the training loop (lib/train/trainer.ts, `train --workers N`).
//
// The main thread keeps its own model and optimizer (checkpoints, resume and the update are those
// of the one-thread loop). Each step it counts the loss normalisers over the WHOLE batch
// (batchNorms), splits the batch into contiguous shards of images (shardBounds; a batch smaller
// than the worker count leaves the last workers idle) and sends each worker its images, its
// slice of every target array, its contiguous share of the keypoints pose stage's person crops
// (shared out among the workers that have images) and the norms. Every worker computes the
// gradient of its shard's
// loss with those norms (lib/train/task-gradients.ts) into its slot of the shared gradient
// buffer; since every loss term is a sum over images divided by a whole-batch normaliser, the
// slots add up to the batch's gradient, and the shards' losses and loss terms to the batch's.
// The slots are added in worker order and returned as tensors; after the update the caller
// publishes the new weights (publish()), which the workers reload before their next shard.
// For a fixed worker count the sum order is fixed, so runs (and resumed runs) are bit-identical;
// other worker counts add in another order and agree to float rounding.
// Bootstrapped cross-entropy (semanticTopK < 1) would mine hard pixels per shard, not per batch,
// so it is refused here.
import * as tf from '@tensorflow/tfjs';
import type { ModelConfig } from '../models/create.ts';
import type { DenseModel } from '../models/dense.ts';
import type { BackendInfo } from '../nn/runtime/backend.ts';
import type { Batch } from './batch.ts';
import type { BatchTargets } from './objectives.ts';
import type { Preset } from './presets.ts';
import { Replica } from './replica.ts';
import { taskNorms, type TaskGradients } from './task-gradients.ts';
import { shardBounds, startPool } from './worker-pool.ts';

/** Images [a, b) of a batch with the matching slices of every target array (copies), and the
 * pose crops [pose[0], pose[1]) (none when absent or empty). */
export function shardOfBatch(batch: Batch, a: number, b: number, pose?: [number, number]): Batch {
  const n = batch.n;
  if (!Number.isInteger(a) || !Number.isInteger(b) || a < 0 || b < a || b > n) throw new RangeError(`shard [${a}, ${b}) of a batch of ${n}`);
  const cut = <T extends Float32Array | Int32Array>(arr: T, what: string): T => {
    if (arr.length % n !== 0) throw new Error(`batch ${what} has ${arr.length} values, not a multiple of its ${n} images`);
    const per = arr.length / n;
    return arr.slice(a * per, b * per) as T;
  };
  const targets: BatchTargets = { n: b - a, width: batch.targets.width, height: batch.targets.height };
  for (const [k, v] of Object.entries(batch.targets)) {
    if (v instanceof Float32Array || v instanceof Int32Array) (targets as unknown as Record<string, unknown>)[k] = cut(v, `target '${k}'`);
  }
  const out: Batch = { n: b - a, width: batch.width, height: batch.height, input: cut(batch.input, 'input'), targets };
  const pb = batch.pose;
  if (pb && pose && pose[1] > pose[0]) {
    const [pa, pz] = pose;
    if (!Number.isInteger(pa) || !Number.isInteger(pz) || pa < 0 || pz > pb.n) throw new RangeError(`pose shard [${pa}, ${pz}) of ${pb.n} crops`);
    const per = pb.input.length / pb.n;
    const perHeat = pb.heatmaps.length / pb.n;
    out.pose = { ...pb, n: pz - pa, input: pb.input.slice(pa * per, pz * per), heatmaps: pb.heatmaps.slice(pa * perHeat, pz * perHeat) };
  }
  return out;
}

/** The batch cut for `k` workers (shardBounds): worker i's contiguous share of the images, and of
 * the pose crops among the workers that have images; undefined for a worker without images. */
export function shardsOf(batch: Batch, k: number): (Batch | undefined)[] {
  const bounds = shardBounds(batch.n, k);
  const active = bounds.filter(([a, b]) => b > a).length;
  const poseShares = batch.pose ? shardBounds(batch.pose.n, active) : [];
  let j = 0;
  return bounds.map(([a, b]) => (b > a ? shardOfBatch(batch, a, b, poseShares[j++]) : undefined));
}

function buffersOf(batch: Batch): ArrayBuffer[] {
  const out = [batch.input.buffer as ArrayBuffer];
  if (batch.pose) out.push(batch.pose.input.buffer as ArrayBuffer, batch.pose.heatmaps.buffer as ArrayBuffer);
  for (const v of Object.values(batch.targets)) if (v instanceof Float32Array || v instanceof Int32Array) out.push(v.buffer as ArrayBuffer);
  return out;
}

export interface TaskParallelOptions {
  /** Worker threads (>= 1). */
  workers: number;
  /** The main thread's model: its weights are published to the workers. */
  model: DenseModel;
  /** The config that built it (every worker builds its replica from it). */
  modelConfig: ModelConfig;
  preset: Preset;
  /** Semantic class weights, as for computeGradients. */
  classWeights?: Float32Array;
  /** The main thread's backend; the workers start the same one. */
  backend: Pick<BackendInfo, 'name' | 'wasmKernels'>;
}

export interface TaskParallel {
  readonly workers: number;
  /** Copies the main model's weights to the workers (before the first step and after every update). */
  publish(): void;
  /** The batch's loss, loss terms and gradients (tensors in parameter order; the caller disposes them). */
  gradients(batch: Batch): Promise<TaskGradients>;
  dispose(): Promise<void>;
}

export async function createTaskParallel(opts: TaskParallelOptions): Promise<TaskParallel> {
  const { model, preset, classWeights } = opts;
  if (preset.semanticTopK < 1) {
    throw new Error(`semanticTopK ${preset.semanticTopK} < 1 (bootstrapped cross-entropy) selects hard pixels within each worker's shard, not within the batch; train it with one worker`);
  }
  if (opts.modelConfig.task !== model.task) throw new Error(`model config is for task ${opts.modelConfig.task}, the model for ${model.task}`);
  const main = new Replica(model);
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  const pool = await startPool({
    workers: opts.workers,
    model: { module: new URL(`../models/create${ext}`, import.meta.url).href, export: 'createTaskModel', options: { ...opts.modelConfig } },
    objective: { kind: 'task', preset, classWeights },
    backend: opts.backend.name,
    wasmKernels: opts.backend.wasmKernels,
    initFromWorker0: false,
  });
  try {
    if (pool.size !== main.size) throw new Error(`the workers' models have ${pool.size} parameters, the main model ${main.size}`);
    pool.params.forEach((p, i) => {
      const q = main.layout[i];
      if (p.name !== q.name || p.shape.join('x') !== q.shape.join('x')) throw new Error(`parameter ${i}: the workers have ${p.name} [${p.shape}], the main model ${q.name} [${q.shape}]`);
    });
  } catch (e) {
    await pool.dispose();
    throw e;
  }
  const k = opts.workers;
  const sum = new Float32Array(pool.size);
  let busy = false;
  const publish = () => {
    if (busy) throw new Error('publish() called while a step is running');
    main.readWeights(pool.weights);
    pool.weightsChanged();
  };
  publish();

  return {
    workers: k,
    publish,
    async gradients(batch: Batch): Promise<TaskGradients> {
      if (busy) throw new Error('gradients() called while a step is running');
      busy = true;
      try {
        const norms = taskNorms(model, batch, preset, classWeights);
        const active = shardsOf(batch, k)
          .map((shard, i) => ({ i, shard }))
          .filter((s): s is { i: number; shard: Batch } => s.shard !== undefined);
        const results = await pool.run(active.map(({ i, shard }) => ({ worker: i, work: { kind: 'task' as const, batch: shard, norms }, transfer: buffersOf(shard) })));
        let loss = 0;
        const parts: Record<string, number> = {};
        for (const r of results) {
          if (r.kind !== 'task') throw new Error(`unexpected '${r.kind}' result`);
          loss += r.loss;
          for (const [name, v] of Object.entries(r.parts)) parts[name] = (parts[name] ?? 0) + v;
        }
        pool.sumGradients(
          active.map((s) => s.i),
          sum,
        );
        const grads = main.layout.map((p) => tf.tensor(sum.slice(p.offset, p.offset + p.size), p.shape));
        return { loss, parts, grads };
      } finally {
        busy = false;
      }
    },
    dispose: () => pool.dispose(),
  };
}
