// Data-parallel training on worker threads (wasm threads do not work in Node, so each core gets a
// worker with its own single-threaded backend and model replica).
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
import { Worker } from 'node:worker_threads';
import { Adam, type AdamOptions, type AdamState } from './adam.ts';
import type { BackendChoice, BackendInfo } from './backend.ts';
import type { FromWorker, ToWorker, WorkerInit } from './parallel-worker.ts';

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
  /** Backend of the workers (default: the automatic choice, see lib/train/backend.ts). */
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

/** Starts a worker on lib/train/parallel-worker: the built .js, or from source the .ts through
 * tsx's loader (registered inside the worker: loader hooks are per thread). */
function startWorker(workerData: WorkerInit): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./parallel-worker.js', import.meta.url), { workerData });
  const target = new URL('./parallel-worker.ts', import.meta.url).href;
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const code = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(target)}); });`;
  return new Worker(code, { eval: true, workerData });
}

/** Shard boundaries: n images over k workers, contiguous, sizes differing by at most one. */
export function shardBounds(n: number, k: number): [number, number][] {
  const out: [number, number][] = [];
  const base = Math.floor(n / k);
  const extra = n % k;
  let start = 0;
  for (let i = 0; i < k; i++) {
    const size = base + (i < extra ? 1 : 0);
    out.push([start, start + size]);
    start += size;
  }
  return out;
}

class WorkerHandle {
  private pending: { resolve: (m: FromWorker) => void; reject: (e: Error) => void } | null = null;
  private failed: Error | null = null;

  constructor(
    readonly index: number,
    readonly worker: Worker,
  ) {
    worker.on('message', (m: FromWorker) => {
      const p = this.pending;
      this.pending = null;
      if (!p) return;
      if (m.type === 'error') p.reject(new Error(`worker ${index}: ${m.message}`));
      else p.resolve(m);
    });
    worker.on('error', (e) => this.fail(new Error(`worker ${index} crashed: ${e.message}`)));
    worker.on('exit', (code) => {
      if (code !== 0) this.fail(new Error(`worker ${index} exited with code ${code}`));
    });
  }

  private fail(e: Error): void {
    this.failed = e;
    const p = this.pending;
    this.pending = null;
    p?.reject(e);
  }

  /** Waits for the next message (after optionally sending one). */
  request(msg?: ToWorker, transfer?: ArrayBuffer[]): Promise<FromWorker> {
    if (this.failed) return Promise.reject(this.failed);
    if (this.pending) return Promise.reject(new Error(`worker ${this.index} is busy`));
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      if (msg) this.worker.postMessage(msg, transfer);
    });
  }
}

export async function createDataParallel(opts: DataParallelOptions): Promise<DataParallel> {
  const k = opts.workers ?? 1;
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`workers must be an integer >= 1, got ${k}`);
  const ignoreIndex = opts.ignoreIndex ?? 255;
  const options = { ...(opts.modelFactory.options ?? {}), seed: opts.seed };

  const handles: WorkerHandle[] = [];
  let ready: Extract<FromWorker, { type: 'ready' }>[];
  let size: number;
  let weights: Float32Array;
  let grads: Float32Array[];
  try {
    for (let index = 0; index < k; index++) {
      const init: WorkerInit = {
        index,
        module: opts.modelFactory.module,
        exportName: opts.modelFactory.export,
        options,
        backend: opts.backend,
        wasmKernels: opts.wasmKernels,
        ignoreIndex,
      };
      handles.push(new WorkerHandle(index, startWorker(init)));
    }
    // Every replica builds its model; the parameter count is known once they report.
    ready = (await Promise.all(handles.map((h) => h.request()))) as Extract<FromWorker, { type: 'ready' }>[];
    size = ready[0].size;
    for (const r of ready) if (r.size !== size) throw new Error(`replicas disagree on the parameter count: ${r.size} vs ${size}`);
    const weightsSab = new SharedArrayBuffer(size * 4);
    const gradsSab = new SharedArrayBuffer(size * 4 * k);
    weights = new Float32Array(weightsSab);
    grads = Array.from({ length: k }, (_, i) => new Float32Array(gradsSab, i * size * 4, size));
    // Worker 0 writes its initial weights first; the others load them at the first step.
    await handles[0].request({ type: 'buffers', weights: weightsSab, grads: gradsSab });
    await Promise.all(handles.slice(1).map((h) => h.request({ type: 'buffers', weights: weightsSab, grads: gradsSab })));
  } catch (e) {
    await Promise.all(handles.map((h) => h.worker.terminate()));
    throw e;
  }
  const adam = new Adam(size, opts.optimizer);
  const sum = new Float32Array(size);
  let version = 0;
  let disposed = false;
  let busy = false;

  return {
    workers: k,
    backend: ready[0].backend as BackendInfo,
    params: ready[0].params,
    paramCount: size,
    async step(batch: Batch): Promise<StepResult> {
      if (disposed) throw new Error('data-parallel trainer was disposed');
      if (busy) throw new Error('step() called while a step is running');
      const [n, h, w, c] = batch.shape;
      if (batch.x.length !== n * h * w * c) throw new Error(`batch images have ${batch.x.length} values, shape [${batch.shape}] needs ${n * h * w * c}`);
      if (batch.labels.length !== n * h * w) throw new Error(`batch labels have ${batch.labels.length} values, [${n},${h},${w}] needs ${n * h * w}`);
      busy = true;
      try {
        const bounds = shardBounds(n, k);
        const active = bounds.map(([a, b], i) => ({ i, a, b })).filter((s) => s.b > s.a);
        const img = h * w * c;
        const px = h * w;
        // Wait for every worker (even after a failure) so that none is still busy afterwards.
        const settled = await Promise.allSettled(
          active.map((s) =>
            handles[s.i].request({
              type: 'step',
              version,
              x: batch.x.slice(s.a * img, s.b * img),
              shape: [s.b - s.a, h, w, c],
              labels: batch.labels.slice(s.a * px, s.b * px),
            }),
          ),
        );
        const failed = settled.find((r) => r.status === 'rejected');
        if (failed) throw (failed as PromiseRejectedResult).reason;
        const replies = settled.map((r) => (r as PromiseFulfilledResult<FromWorker>).value) as Extract<FromWorker, { type: 'done' }>[];
        let lossSum = 0;
        let count = 0;
        for (const r of replies) {
          lossSum += r.lossSum;
          count += r.count;
        }
        if (count === 0) return { loss: 0, pixels: 0 };
        sum.set(grads[active[0].i]);
        for (const s of active.slice(1)) {
          const g = grads[s.i];
          for (let j = 0; j < size; j++) sum[j] += g[j];
        }
        adam.update(weights, sum, 1 / count);
        version++;
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
      version++;
    },
    getOptimizerState: () => adam.getState(),
    setOptimizerState: (s: AdamState) => adam.setState(s),
    async dispose() {
      if (disposed) return;
      disposed = true;
      for (const hd of handles) hd.worker.postMessage({ type: 'close' } satisfies ToWorker);
      await Promise.all(handles.map((hd) => hd.worker.terminate()));
    },
  };
}
