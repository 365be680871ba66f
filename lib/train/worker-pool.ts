// The worker threads of data-parallel training (wasm threads do not work in Node, so each core gets
// a worker with its own single-threaded backend and model replica; lib/train/parallel-worker.ts).
//
// The pool owns two SharedArrayBuffers: the weights (one flat copy, parameter order of the model)
// and one gradient slot per worker. A step sends each worker its shard of the batch and the
// current weights version; a worker reloads the shared weights when the version it holds is stale,
// writes the gradient of its shard's loss into its slot and replies with the shard's loss terms.
// The caller adds the slots in worker order (sumGradients: a fixed order, so a fixed worker count
// gives the same bytes every time), updates the weights, writes them into `weights` and calls
// weightsChanged(). Nothing is copied between threads but the shards themselves.
// Users: lib/train/parallel.ts (pixel cross-entropy, the reference U-Net) and
// lib/train/task-parallel.ts (the task models' losses).
import { Worker } from 'node:worker_threads';
import type { BackendChoice, BackendInfo } from '../nn/runtime/backend.ts';
import type { FromWorker, ModelRef, Objective, ShardResult, ShardWork, ToWorker, WorkerInit } from './parallel-worker.ts';

export interface PoolOptions {
  /** Worker threads (>= 1). */
  workers: number;
  /** How every worker builds its replica. */
  model: ModelRef;
  /** The loss the workers differentiate (fixed for the pool's life). */
  objective: Objective;
  /** Backend of the workers (default: the automatic choice, see lib/nn/runtime/backend.ts). */
  backend?: BackendChoice;
  /** wasm: use our training kernels (default true). */
  wasmKernels?: boolean;
  /** Worker 0 writes its freshly initialised weights into the shared weights (version 0) and the
   * others load them at their first step; otherwise the caller writes the weights and calls
   * weightsChanged() before the first step. */
  initFromWorker0: boolean;
}

export interface Shard {
  /** Worker index. */
  worker: number;
  work: ShardWork;
  /** Buffers of `work` that may be moved to the worker instead of copied. */
  transfer?: ArrayBuffer[];
}

export interface WorkerPool {
  readonly workers: number;
  /** Worker 0's backend. */
  readonly backend: BackendInfo;
  readonly params: readonly { name: string; shape: number[] }[];
  /** Number of scalar parameters. */
  readonly size: number;
  /** The shared weights (write, then call weightsChanged()). */
  readonly weights: Float32Array;
  /** Marks the shared weights as new: every worker reloads them before its next shard. */
  weightsChanged(): void;
  /** Runs the shards (at most one per worker) and returns their results in the given order.
   * Waits for every worker, even after a failure, then throws the first failure. */
  run(shards: Shard[]): Promise<ShardResult[]>;
  /** out = sum of the gradient slots of `workers`, added in that order. */
  sumGradients(workers: readonly number[], out: Float32Array): void;
  dispose(): Promise<void>;
}

/** Shard boundaries: n images over k workers, contiguous, sizes differing by at most one
 * (the first n mod k workers get one more; with n < k the last ones get none). */
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

/** Starts a worker on lib/train/parallel-worker: the built .js, or from source the .ts through
 * tsx's loader (registered inside the worker: loader hooks are per thread). */
function startWorker(workerData: WorkerInit): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./parallel-worker.js', import.meta.url), { workerData });
  const target = new URL('./parallel-worker.ts', import.meta.url).href;
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const code = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(target)}); });`;
  return new Worker(code, { eval: true, workerData });
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

export async function startPool(opts: PoolOptions): Promise<WorkerPool> {
  const k = opts.workers;
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`workers must be an integer >= 1, got ${k}`);
  const handles: WorkerHandle[] = [];
  let ready: Extract<FromWorker, { type: 'ready' }>[];
  let size: number;
  let weights: Float32Array;
  let grads: Float32Array[];
  try {
    for (let index = 0; index < k; index++) {
      const init: WorkerInit = { index, model: opts.model, objective: opts.objective, backend: opts.backend, wasmKernels: opts.wasmKernels };
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
    // With initFromWorker0, worker 0 writes its initial weights before the others attach.
    await handles[0].request({ type: 'buffers', weights: weightsSab, grads: gradsSab, initialize: opts.initFromWorker0 });
    await Promise.all(handles.slice(1).map((h) => h.request({ type: 'buffers', weights: weightsSab, grads: gradsSab, initialize: false })));
  } catch (e) {
    await Promise.all(handles.map((h) => h.worker.terminate()));
    throw e;
  }
  // Weights version; -1: not written yet. Workers that did not initialise the weights hold -1,
  // so they load them before their first shard.
  let version = opts.initFromWorker0 ? 0 : -1;
  let disposed = false;

  return {
    workers: k,
    backend: ready[0].backend as BackendInfo,
    params: ready[0].params,
    size,
    weights,
    weightsChanged() {
      version++;
    },
    async run(shards: Shard[]): Promise<ShardResult[]> {
      if (disposed) throw new Error('the worker pool was disposed');
      if (version < 0) throw new Error('the shared weights were never written (call weightsChanged() after writing them)');
      const seen = new Set<number>();
      for (const s of shards) {
        if (!Number.isInteger(s.worker) || s.worker < 0 || s.worker >= k) throw new RangeError(`no worker ${s.worker} (pool of ${k})`);
        if (seen.has(s.worker)) throw new Error(`two shards for worker ${s.worker}`);
        seen.add(s.worker);
      }
      const settled = await Promise.allSettled(shards.map((s) => handles[s.worker].request({ type: 'step', version, work: s.work }, s.transfer)));
      const failed = settled.find((r) => r.status === 'rejected');
      if (failed) throw (failed as PromiseRejectedResult).reason;
      return settled.map((r) => ((r as PromiseFulfilledResult<FromWorker>).value as Extract<FromWorker, { type: 'done' }>).result);
    },
    sumGradients(workers: readonly number[], out: Float32Array) {
      if (out.length !== size) throw new Error(`sumGradients: ${out.length} values, the model has ${size}`);
      if (workers.length === 0) {
        out.fill(0);
        return;
      }
      out.set(grads[workers[0]]);
      for (const i of workers.slice(1)) {
        const g = grads[i];
        for (let j = 0; j < size; j++) out[j] += g[j];
      }
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      for (const hd of handles) hd.worker.postMessage({ type: 'close' } satisfies ToWorker);
      await Promise.all(handles.map((hd) => hd.worker.terminate()));
    },
  };
}
