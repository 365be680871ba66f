// A data-parallel worker thread: holds one model replica on its own tfjs backend, loads the shared
// weights when they changed, and writes the gradient of its shard into its slot of the shared
// gradient buffer. Protocol: see lib/train/parallel.ts.
import { parentPort, workerData } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { initBackend, type BackendChoice } from './backend.ts';
import { Replica } from './replica.ts';
import type { SegmentationModel } from '../models/model.ts';

export interface WorkerInit {
  index: number;
  module: string;
  exportName: string;
  options: Record<string, unknown>;
  backend?: BackendChoice;
  wasmKernels?: boolean;
  ignoreIndex: number;
}

export type ToWorker =
  | { type: 'buffers'; weights: SharedArrayBuffer; grads: SharedArrayBuffer }
  | { type: 'step'; version: number; x: Float32Array; shape: number[]; labels: Int32Array }
  | { type: 'close' };

export type FromWorker =
  | { type: 'ready'; backend: unknown; params: { name: string; shape: number[] }[]; size: number }
  | { type: 'attached' }
  | { type: 'done'; lossSum: number; count: number }
  | { type: 'error'; message: string; stack?: string };

function moduleUrl(spec: string): string {
  return /^[a-z][a-z0-9+.-]*:/i.test(spec) && !/^[a-z]:[\\/]/i.test(spec) ? spec : pathToFileURL(spec).href;
}

async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('parallel-worker must run in a worker thread');
  const init = workerData as WorkerInit;
  const send = (m: FromWorker) => port.postMessage(m);
  try {
    const backend = await initBackend({ backend: init.backend, wasmKernels: init.wasmKernels, log: false });
    const mod = (await import(moduleUrl(init.module))) as Record<string, unknown>;
    const factory = mod[init.exportName];
    if (typeof factory !== 'function') throw new Error(`${init.module} has no function export '${init.exportName}'`);
    const model = (await factory(init.options)) as SegmentationModel;
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
          // Worker 0's freshly initialised weights are the starting point of every replica.
          if (init.index === 0) {
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
        const r = replica.gradients(m.x, m.shape, m.labels, init.ignoreIndex, grads);
        send({ type: 'done', lossSum: r.lossSum, count: r.count });
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
