// Worker-thread entry of the anonymization pool (workers.ts): builds one image processor from
// `workerData` and processes the images it is sent, one at a time, in the order received.
import { parentPort, workerData } from 'node:worker_threads';
import { createImageProcessor, type ImageTask, type ProcessConfig } from './process-image.ts';

export interface TaskMessage {
  type: 'task';
  seq: number;
  task: ImageTask;
}

export type WorkerReply =
  | { type: 'ready' }
  | { type: 'failed'; error: string }
  | { type: 'done'; seq: number; outcome: import('./process-image.ts').ImageOutcome }
  | { type: 'closed' };

const port = parentPort;
if (!port) throw new Error('anonymize-worker.ts must run in a worker thread');

try {
  const processor = await createImageProcessor((workerData as { config: ProcessConfig }).config);
  let chain: Promise<void> = Promise.resolve();
  port.on('message', (msg: TaskMessage | { type: 'close' }) => {
    if (msg.type === 'task') {
      chain = chain.then(async () => {
        const outcome = await processor.process(msg.task);
        port.postMessage({ type: 'done', seq: msg.seq, outcome } satisfies WorkerReply);
      });
    } else if (msg.type === 'close') {
      chain = chain.then(async () => {
        await processor.dispose();
        port.postMessage({ type: 'closed' } satisfies WorkerReply);
        port.close();
      });
    }
  });
  port.postMessage({ type: 'ready' } satisfies WorkerReply);
} catch (e) {
  port.postMessage({ type: 'failed', error: e instanceof Error ? e.message : String(e) } satisfies WorkerReply);
}
