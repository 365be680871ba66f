// One training step of the reference U-Net (487,620 parameters; input 8x128x256x3, 20 classes,
// pixel cross-entropy, Adam) on the tfjs wasm backend:
//   ours-1w   our wasm training kernels, 1 worker thread
//   ours-2w   our wasm training kernels, 2 worker threads (data parallel)
//   stock-1w  the stock wasm kernels (XNNPACK convolutions, the direct-loop
//             Conv2DBackpropInput, tfjs's op-by-op gradients of ReLU, bias, loss), in this
//             thread, same model code; the stock backend has no Conv2DBackpropFilter at all, so
//             ours is registered for that one kernel, in its XNNPACK convolution formulation
// With --backend NAME (webgpu, tfjs-node-gpu, tfjs-node, cpu) instead, in this thread on that
// backend, every update on the device (tfjs's Adam) and only the loss read back (asynchronously):
//   unet      the same U-Net step
//   task      one step of a task model (--task semseg|instances|keypoints, --preset quick|paper:
//             its model, crop and batch size), its batch built by the trainer's pipeline from a
//             synthetic dataset
// After warm-up steps, prints the median wall-clock seconds per step, images/s, and the CPU
// seconds per step of this process (all threads), which on a shared machine shows how much of
// the wall time was spent waiting for a core.
//   npm run bench:train [-- --steps 5 --warmup 2 --configs ours-1w,ours-2w,stock-1w]
//   npm run bench:train -- --backend webgpu [--configs unet,task --task semseg --preset quick]
// Reference figures on this kind of machine (2 cores): PyTorch 1.13 CPU 0.54 s/step with
// 2 threads, 1.09 s/step with 1.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { parse, int } from '../lib/cli/args.ts';
import { createUnet } from '../lib/models/unet.ts';
import { Adam } from '../lib/train/adam.ts';
import { BACKENDS, initBackend, type BackendChoice } from '../lib/nn/runtime/backend.ts';
import { createTaskModel } from '../lib/models/create.ts';
import { TASKS, type Task } from '../lib/models/dense.ts';
import { crossEntropySum, prepareLabels } from '../lib/train/loss.ts';
import { getPreset, PRESET_NAMES } from '../lib/train/presets.ts';
import { syntheticStep } from '../lib/train/synthetic-batch.ts';
import { gradientTensors } from '../lib/train/task-gradients.ts';
import { createDataParallel, type Batch } from '../lib/train/parallel.ts';
import { Replica } from '../lib/train/replica.ts';
import { wasmTrainingKernels } from '../lib/nn/runtime/wasm-kernels.ts';
import { setForceConvFilterGrad } from '../lib/nn/runtime/kernels/conv2d-backprop-filter.ts';
import { InitRng } from '../lib/nn/init.ts';

const { values } = parse(process.argv.slice(2), {
  steps: { type: 'string' },
  warmup: { type: 'string' },
  configs: { type: 'string' },
  batch: { type: 'string' },
  backend: { type: 'string' },
  task: { type: 'string' },
  preset: { type: 'string' },
});
const BACKEND = (values.backend ?? 'wasm') as BackendChoice;
if (!(BACKENDS as readonly string[]).includes(BACKEND)) throw new Error(`--backend: unknown backend '${BACKEND}'; expected one of ${BACKENDS.join(', ')}`);
const TASK = (values.task ?? 'semseg') as Task;
if (!TASKS.includes(TASK)) throw new Error(`--task: expected one of ${TASKS.join(', ')}`);
const PRESET = values.preset ?? 'quick';
if (!(PRESET_NAMES as readonly string[]).includes(PRESET)) throw new Error(`--preset: expected one of ${PRESET_NAMES.join(', ')}`);
const STEPS = int(values, 'steps', 5, 1);
const WARMUP = int(values, 'warmup', 2, 0);
const CONFIGS = (values.configs ?? (BACKEND === 'wasm' ? 'ours-1w,ours-2w,stock-1w' : 'unet,task')).split(',');
const N = int(values, 'batch', 8, 1);
const H = 128;
const W = 256;

function makeBatch(): Batch {
  const rng = new InitRng('bench-train');
  const x = new Float32Array(N * H * W * 3);
  for (let i = 0; i < x.length; i++) x[i] = rng.uniformOpen();
  const labels = new Int32Array(N * H * W);
  for (let i = 0; i < labels.length; i++) labels[i] = rng.u32() % 20;
  return { x, shape: [N, H, W, 3], labels };
}

interface Timing {
  wall: number;
  cpu: number;
}

async function timeSteps(step: () => Promise<unknown>): Promise<Timing[]> {
  for (let i = 0; i < WARMUP; i++) await step();
  const out: Timing[] = [];
  for (let i = 0; i < STEPS; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await step();
    const c = process.cpuUsage(c0);
    out.push({ wall: (performance.now() - t0) / 1000, cpu: (c.user + c.system) / 1e6 });
  }
  return out;
}

const median = (v: number[]) => {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function report(name: string, t: Timing[], images = N): void {
  const wall = median(t.map((x) => x.wall));
  const cpu = median(t.map((x) => x.cpu));
  const digits = wall < 0.1 ? 4 : 2;
  const all = t.map((x) => x.wall.toFixed(digits)).join(' ');
  console.log(`${name.padEnd(9)} ${wall.toFixed(digits).padStart(6)} s/step  ${(images / wall).toFixed(2).padStart(6)} images/s  cpu ${cpu.toFixed(2)} s/step  (steps: ${all})`);
}

/** The U-Net step on a device backend: loss, gradients and Adam's update on the device. */
async function deviceUnet(batch: Batch): Promise<void> {
  const model = createUnet({ seed: 0 });
  const x = tf.tensor4d(batch.x, batch.shape);
  const { index, count } = prepareLabels(batch.labels, 20);
  const opt = tf.train.adam(1e-3);
  const vars = model.params.map((p) => p.variable);
  report('unet', await timeSteps(async () => {
    const loss = opt.minimize(() => tf.div(crossEntropySum(model.apply(x) as tf.Tensor4D, index), count) as tf.Scalar, true, vars)!;
    await loss.data();
    loss.dispose();
  }));
  x.dispose();
  opt.dispose();
  model.dispose();
}

/** A task model's step on a device backend (gradientTensors, then Adam on the device). */
async function deviceTask(): Promise<void> {
  const preset = getPreset(PRESET, TASK);
  const dir = await mkdtemp(join(tmpdir(), 'anon-impact-bench-'));
  try {
    const s = await syntheticStep(dir, TASK, preset, 0);
    const model = createTaskModel(s.config);
    const opt = tf.train.adam(1e-3);
    const [cw, ch] = preset.cropSize;
    console.log(`${TASK} model of the ${PRESET} preset: ${model.params.reduce((a, p) => a + p.variable.size, 0).toLocaleString('en-US')} parameters, batch ${s.batch.n}x${s.batch.height}x${s.batch.width}x3 (crop ${cw}x${ch})${s.batch.pose ? `, pose crops ${s.batch.pose.n}` : ''}`);
    report('task', await timeSteps(async () => {
      const t = gradientTensors(model, s.batch, preset);
      opt.applyGradients(model.params.map((p, i) => ({ name: p.variable.name, tensor: t.grads[i] })));
      await t.loss.data();
      tf.dispose([t.loss, ...Object.values(t.parts), ...t.grads]);
    }), s.batch.n);
    opt.dispose();
    model.dispose();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const unet = fileURLToPath(new URL('../lib/models/unet.ts', import.meta.url));
const batch = makeBatch();
console.log(`U-Net 487,620 parameters, batch ${N}x${H}x${W}x3, 20 classes, Adam; ${WARMUP} warm-up + ${STEPS} timed steps, median`);

if (BACKEND !== 'wasm') await initBackend({ backend: BACKEND });
for (const config of CONFIGS) {
  if (BACKEND !== 'wasm') {
    if (config === 'unet') await deviceUnet(batch);
    else if (config === 'task') await deviceTask();
    else throw new Error(`unknown config '${config}' with --backend ${BACKEND} (unet, task)`);
  } else if (config === 'ours-1w' || config === 'ours-2w') {
    const workers = config === 'ours-1w' ? 1 : 2;
    const dp = await createDataParallel({ modelFactory: { module: unet, export: 'createUnet' }, workers, seed: 0, backend: 'wasm' });
    try {
      report(config, await timeSteps(() => dp.step(batch)));
    } finally {
      await dp.dispose();
    }
  } else if (config === 'stock-1w') {
    await initBackend({ backend: 'wasm', wasmKernels: false, log: false });
    tf.registerKernel({ kernelName: 'Conv2DBackpropFilter', backendName: 'wasm', kernelFunc: wasmTrainingKernels.Conv2DBackpropFilter });
    setForceConvFilterGrad(true);
    const model = createUnet({ seed: 0 });
    const replica = new Replica(model);
    const weights = new Float32Array(replica.size);
    replica.readWeights(weights);
    const grads = new Float32Array(replica.size);
    const adam = new Adam(replica.size);
    report(config, await timeSteps(async () => {
      const r = replica.gradients(batch.x, batch.shape, batch.labels, 255, grads);
      adam.update(weights, grads, 1 / r.count);
      replica.loadWeights(weights);
    }));
    model.dispose();
    setForceConvFilterGrad(false);
    tf.unregisterKernel('Conv2DBackpropFilter', 'wasm');
  } else {
    throw new Error(`unknown config '${config}' (ours-1w, ours-2w, stock-1w)`);
  }
}
