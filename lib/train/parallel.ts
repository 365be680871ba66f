// Data-parallel training of a SegmentationModel on the plain pixel cross-entropy with a fixed-lr
// Adam (the reference U-Net; bench/train.bench.ts), on the worker threads of
// lib/train/worker-pool.ts (wasm threads do not work in Node, so each core gets a worker with its
// own single-threaded backend and model replica). The task models: lib/train/task-parallel.ts.
//
// Each step the batch is split into contiguous shards, one per worker (sizes differ by at most
// one image). Workers compute the loss summed over their labelled pixels and its gradient into
// their slot of a shared gradient buffer; the main thread adds the slots in worker order, divides
// by the batch's labelled-pixel count (so the update is that of the mean loss over the whole
// batch, whatever the split), applies Adam to the shared weights and bumps a version number;
// workers reload the weights when the version they hold is stale. Weights and gradients live in
// SharedArrayBuffers: nothing is copied between threads but the batch itself. For a fixed worker
// count and seed every step is deterministic; different worker counts agree to float rounding.
// With the native tfjs-node backends, which use all cores themselves, use one worker.
import { Adam, type AdamOptions, type AdamState } from './adam.ts';
import type { BackendChoice, BackendInfo } from '../nn/runtime/backend.ts';
import { shardBounds, startPool } from './worker-pool.ts';

export { shardBounds };

export interface ModelFactoryRef {
  /** Module path (absolute, or a file: URL) exporting the factory. */
  module: string;
  /** Export name of `(options) => SegmentationModel | Promise<SegmentationModel>`. */
  export: string;
  /** Options for the factory; `seed` is set from DataParallelOptions.seed. */
  options?: Record<string, unknown>;
}

export interface DataParallelOptions {
  modelFactory: ModelFactoryRef;
  /** Worker threads (default 1). */
  workers?: number;
  /** Seed of the model's initialisation (passed to the factory). */
  seed: number;
  optimizer?: AdamOptions;
  /** Backend of the workers (default: the automatic choice, see lib/nn/runtime/backend.ts). */
  backend?: BackendChoice;
  /** wasm: use our training kernels (default true). */
  wasmKernels?: boolean;
  /** Label value of unlabelled pixels (default 255). */
  ignoreIndex?: number;
}

export interface Batch {
  /** Images, NHWC float32. */
  x: Float32Array;
  shape: [number, number, number, number];
  /** Class per pixel, [N,H,W]. */
  labels: Int32Array;
}

export interface StepResult {
  /** Mean cross-entropy over the batch's labelled pixels (before the update). */
  loss: number;
  /** Labelled pixels in the batch. */
  pixels: number;
}

export interface DataParallel {
  readonly workers: number;
  readonly backend: BackendInfo;
  readonly params: readonly { name: string; shape: number[] }[];
  readonly paramCount: number;
  step(batch: Batch): Promise<StepResult>;
  /** A copy of the flat weights (parameter order of the model). */
  getWeights(): Float32Array;
  setWeights(flat: Float32Array): void;
  getOptimizerState(): AdamState;
  setOptimizerState(state: AdamState): void;
  dispose(): Promise<void>;
}

export async function createDataParallel(opts: DataParallelOptions): Promise<DataParallel> {
  const k = opts.workers ?? 1;
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`workers must be an integer >= 1, got ${k}`);
  const pool = await startPool({
    workers: k,
    model: { module: opts.modelFactory.module, export: opts.modelFactory.export, options: { ...(opts.modelFactory.options ?? {}), seed: opts.seed } },
    objective: { kind: 'pixel-ce', ignoreIndex: opts.ignoreIndex ?? 255 },
    backend: opts.backend,
    wasmKernels: opts.wasmKernels,
    initFromWorker0: true,
  });
  const size = pool.size;
  const weights = pool.weights;
  const adam = new Adam(size, opts.optimizer);
  const sum = new Float32Array(size);
  let disposed = false;
  let busy = false;

  return {
    workers: k,
    backend: pool.backend,
    params: pool.params,
    paramCount: size,
    async step(batch: Batch): Promise<StepResult> {
      if (disposed) throw new Error('data-parallel trainer was disposed');
      if (busy) throw new Error('step() called while a step is running');
      const [n, h, w, c] = batch.shape;
      if (batch.x.length !== n * h * w * c) throw new Error(`batch images have ${batch.x.length} values, shape [${batch.shape}] needs ${n * h * w * c}`);
      if (batch.labels.length !== n * h * w) throw new Error(`batch labels have ${batch.labels.length} values, [${n},${h},${w}] needs ${n * h * w}`);
      busy = true;
      try {
        const active = shardBounds(n, k)
          .map(([a, b], i) => ({ i, a, b }))
          .filter((s) => s.b > s.a);
        const img = h * w * c;
        const px = h * w;
        const results = await pool.run(
          active.map((s) => ({
            worker: s.i,
            work: { kind: 'pixel-ce' as const, x: batch.x.slice(s.a * img, s.b * img), shape: [s.b - s.a, h, w, c], labels: batch.labels.slice(s.a * px, s.b * px) },
          })),
        );
        let lossSum = 0;
        let count = 0;
        for (const r of results) {
          if (r.kind !== 'pixel-ce') throw new Error(`unexpected '${r.kind}' result`);
          lossSum += r.lossSum;
          count += r.count;
        }
        if (count === 0) return { loss: 0, pixels: 0 };
        pool.sumGradients(
          active.map((s) => s.i),
          sum,
        );
        adam.update(weights, sum, 1 / count);
        pool.weightsChanged();
        return { loss: lossSum / count, pixels: count };
      } finally {
        busy = false;
      }
    },
    getWeights: () => weights.slice(),
    setWeights(flat: Float32Array) {
      if (flat.length !== size) throw new Error(`setWeights: ${flat.length} values, the model has ${size}`);
      if (busy) throw new Error('setWeights() called while a step is running');
      weights.set(flat);
      pool.weightsChanged();
    },
    getOptimizerState: () => adam.getState(),
    setOptimizerState: (s: AdamState) => adam.setState(s),
    async dispose() {
      if (disposed) return;
      disposed = true;
      await pool.dispose();
    },
  };
}
