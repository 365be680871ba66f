// A data-parallel worker thread: holds one model replica on its own tfjs backend, loads the shared
// weights when they changed, and writes the gradient of its shard's loss into its slot of the
// shared gradient buffer. Protocol: see lib/train/worker-pool.ts. The loss is either the plain
// pixel cross-entropy (lib/train/parallel.ts) or a task model's loss (lib/train/task-parallel.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { initBackend, type BackendChoice } from '../nn/runtime/backend.ts';
import type { Batch } from './batch.ts';
import type { Norms } from './objectives.ts';
import type { Preset } from './presets.ts';
import { Replica } from './replica.ts';
import { computeGradients } from './task-gradients.ts';
import type { DenseModel } from '../models/dense.ts';
import type { SegmentationModel } from '../models/model.ts';

/** A model factory every worker calls to build its replica. */
export interface ModelRef {
  /** Module path (absolute, or a file: URL) exporting the factory. */
  module: string;
  /** Export name of `(options) => SegmentationModel | Promise<SegmentationModel>`. */
  export: string;
  options: Record<string, unknown>;
}

/** The loss a pool's workers differentiate. */
export type Objective =
  /** Cross-entropy summed over labelled pixels (lib/train/loss.ts). */
  | { kind: 'pixel-ce'; ignoreIndex: number }
  /** The task loss of a DenseModel (lib/train/task-gradients.ts). */
  | { kind: 'task'; preset: Preset; classWeights?: Float32Array };

/** One worker's shard of a step. */
export type ShardWork =
  | { kind: 'pixel-ce'; x: Float32Array; shape: number[]; labels: Int32Array }
  /** `norms`: the whole batch's loss normalisers. */
  | { kind: 'task'; batch: Batch; norms: Norms };

export type ShardResult =
  /** Loss summed over the shard's labelled pixels, and their count. */
  | { kind: 'pixel-ce'; lossSum: number; count: number }
  /** The shard's contribution to the batch's loss and to each of its terms. */
  | { kind: 'task'; loss: number; parts: Record<string, number> };

export interface WorkerInit {
  index: number;
  model: ModelRef;
  objective: Objective;
  backend?: BackendChoice;
  wasmKernels?: boolean;
}

export type ToWorker =
  /** `initialize`: write this replica's weights into the shared weights (version 0). */
  | { type: 'buffers'; weights: SharedArrayBuffer; grads: SharedArrayBuffer; initialize: boolean }
  | { type: 'step'; version: number; work: ShardWork }
  | { type: 'close' };

export type FromWorker =
  | { type: 'ready'; backend: unknown; params: { name: string; shape: number[] }[]; size: number }
  | { type: 'attached' }
  | { type: 'done'; result: ShardResult }
  | { type: 'error'; message: string; stack?: string };

function moduleUrl(spec: string): string {
  return /^[a-z][a-z0-9+.-]*:/i.test(spec) && !/^[a-z]:[\\/]/i.test(spec) ? spec : pathToFileURL(spec).href;
}

/** The shard's loss; its gradient goes into `gradOut`. */
async function shardGradients(replica: Replica, objective: Objective, work: ShardWork, gradOut: Float32Array): Promise<ShardResult> {
  if (work.kind !== objective.kind) throw new Error(`a '${work.kind}' shard sent to a worker of the '${objective.kind}' loss`);
  if (work.kind === 'pixel-ce' && objective.kind === 'pixel-ce') {
    const r = replica.gradients(work.x, work.shape, work.labels, objective.ignoreIndex, gradOut);
    return { kind: 'pixel-ce', lossSum: r.lossSum, count: r.count };
  }
  if (work.kind === 'task' && objective.kind === 'task') {
    const model = replica.model as DenseModel;
    if (typeof model.task !== 'string' || !model.heads) throw new Error(`the '${model.kind}' model is not a task model (no task or heads)`);
    const r = await computeGradients(model, work.batch, objective.preset, objective.classWeights, work.norms);
    try {
      replica.writeFlat(r.grads, gradOut);
    } finally {
      for (const g of r.grads) g?.dispose();
    }
    return { kind: 'task', loss: r.loss, parts: r.parts };
  }
  throw new Error('unreachable');
}

async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('parallel-worker must run in a worker thread');
  const init = workerData as WorkerInit;
  const send = (m: FromWorker) => port.postMessage(m);
  try {
    const backend = await initBackend({ backend: init.backend, wasmKernels: init.wasmKernels, log: false });
    const mod = (await import(moduleUrl(init.model.module))) as Record<string, unknown>;
    const factory = mod[init.model.export];
    if (typeof factory !== 'function') throw new Error(`${init.model.module} has no function export '${init.model.export}'`);
    const model = (await factory(init.model.options)) as SegmentationModel;
    const replica = new Replica(model);
    let weights: Float32Array | null = null;
    let grads: Float32Array | null = null;
    let version = -1;
    send({ type: 'ready', backend, params: replica.layout.map((p) => ({ name: p.name, shape: p.shape })), size: replica.size });
    port.on('message', (m: ToWorker) => {
      try {
        if (m.type === 'close') {
          model.dispose();
          port.close();
          return;
        }
        if (m.type === 'buffers') {
          weights = new Float32Array(m.weights);
          if (weights.length !== replica.size) throw new Error(`shared weights have ${weights.length} values, the model ${replica.size}`);
          grads = new Float32Array(m.grads, init.index * replica.size * 4, replica.size);
          if (m.initialize) {
            replica.readWeights(weights);
            version = 0;
          }
          send({ type: 'attached' });
          return;
        }
        if (!weights || !grads) throw new Error('step before the shared buffers were attached');
        if (m.version !== version) {
          replica.loadWeights(weights);
          version = m.version;
        }
        // one step at a time: the coordinator sends the next only after this one's reply
        shardGradients(replica, init.objective, m.work, grads).then(
          (result) => send({ type: 'done', result }),
          (e: Error) => send({ type: 'error', message: e.message, stack: e.stack }),
        );
      } catch (e) {
        const err = e as Error;
        send({ type: 'error', message: err.message, stack: err.stack });
      }
    });
  } catch (e) {
    const err = e as Error;
    send({ type: 'error', message: err.message, stack: err.stack });
  }
}

void main();
