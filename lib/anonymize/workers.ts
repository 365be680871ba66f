// Spreads images over worker threads (each with its own image processor and anonymizer), or
// processes them in the calling thread when asked for 0 workers. Which worker handles an image
// does not change its output: everything an image's output depends on is in the task and the
// shared configuration (its random stream comes from the seed and the sample id).
//
// Workers are started from anonymize-worker.ts next to this file (.js once built). Under tsx
// a worker thread does not inherit the TypeScript loader, so it is started through a small
// bootstrap that registers tsx first.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { TaskMessage, WorkerReply } from './anonymize-worker.ts';
import { createImageProcessor, type ImageOutcome, type ImageTask, type ProcessConfig } from './process-image.ts';

export interface Pool {
  /** Number of tasks worth keeping in flight (2 per worker: one running, one queued). */
  readonly capacity: number;
  readonly workers: number;
  run(task: ImageTask): Promise<ImageOutcome>;
  close(): Promise<void>;
}

export function defaultWorkers(): number {
  return availableParallelism();
}

function workerModule(): URL {
  const self = import.meta.url;
  const ext = self.endsWith('.ts') ? '.ts' : '.js';
  return new URL(`./anonymize-worker${ext}`, self);
}

function spawn(config: ProcessConfig): Worker {
  const target = workerModule();
  if (target.pathname.endsWith('.ts')) {
    const api = import.meta.resolve('tsx/esm/api');
    const boot = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(target.href)}); });`;
    return new Worker(boot, { eval: true, workerData: { config } });
  }
  return new Worker(target, { workerData: { config } });
}

interface Slot {
  worker: Worker;
  inflight: number;
  exited: boolean;
}

async function startWorker(config: ProcessConfig, pending: Map<number, { resolve(o: ImageOutcome): void; reject(e: Error): void; slot: Slot }>, onFatal: (e: Error) => void): Promise<Slot> {
  const worker = spawn(config);
  const slot: Slot = { worker, inflight: 0, exited: false };
  await new Promise<void>((resolve, reject) => {
    let started = false;
    worker.on('message', (m: WorkerReply) => {
      if (m.type === 'ready') {
        started = true;
        resolve();
      } else if (m.type === 'failed') {
        reject(new Error(`worker could not start: ${m.error}`));
      } else if (m.type === 'done') {
        const p = pending.get(m.seq);
        if (p) {
          pending.delete(m.seq);
          slot.inflight--;
          p.resolve(m.outcome);
        }
      }
    });
    worker.on('error', (e) => {
      if (!started) reject(e);
      else onFatal(new Error(`anonymization worker failed: ${e.message}`));
    });
    worker.on('exit', (code) => {
      slot.exited = true;
      if (!started) reject(new Error(`worker exited with code ${code} before it started`));
      else if (slot.inflight > 0) onFatal(new Error(`anonymization worker exited (code ${code}) with ${slot.inflight} image(s) in hand`));
    });
  });
  return slot;
}

/** A pool of `n` worker threads (n >= 1), or the calling thread (n = 0). */
export async function createPool(n: number, config: ProcessConfig): Promise<Pool> {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`workers must be an integer >= 0, got ${n}`);
  if (n === 0) {
    const proc = await createImageProcessor(config);
    return {
      capacity: 1,
      workers: 0,
      run: (task) => proc.process(task),
      close: () => proc.dispose(),
    };
  }
  const pending = new Map<number, { resolve(o: ImageOutcome): void; reject(e: Error): void; slot: Slot }>();
  let fatal: Error | undefined;
  const onFatal = (e: Error) => {
    fatal ??= e;
    for (const [seq, p] of pending) {
      pending.delete(seq);
      p.reject(e);
    }
  };
  const started = await Promise.allSettled(Array.from({ length: n }, () => startWorker(config, pending, onFatal)));
  const slots = started.filter((s): s is PromiseFulfilledResult<Slot> => s.status === 'fulfilled').map((s) => s.value);
  const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) {
    await Promise.all(slots.map((s) => s.worker.terminate()));
    throw failed.reason instanceof Error ? failed.reason : new Error(String(failed.reason));
  }
  let seq = 0;
  return {
    capacity: 2 * n,
    workers: n,
    run(task) {
      if (fatal) return Promise.reject(fatal);
      let best = slots[0]!;
      for (const s of slots) if (s.inflight < best.inflight) best = s;
      const id = seq++;
      best.inflight++;
      return new Promise<ImageOutcome>((resolve, reject) => {
        pending.set(id, { resolve, reject, slot: best });
        best.worker.postMessage({ type: 'task', seq: id, task } satisfies TaskMessage);
      });
    },
    async close() {
      await Promise.all(
        slots.map(
          (s) =>
            new Promise<void>((resolve) => {
              if (s.exited) return resolve();
              s.worker.once('exit', () => resolve());
              s.worker.on('message', (m: WorkerReply) => {
                if (m.type === 'closed') void s.worker.terminate();
              });
              if (fatal) void s.worker.terminate();
              else s.worker.postMessage({ type: 'close' });
            }),
        ),
      );
    },
  };
}
