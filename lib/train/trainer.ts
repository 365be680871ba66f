// The training loop. One run lives in one folder:
//   run.json        every parameter (task, resolved preset, seed, dataset, model config, classes),
//                   backend, versions, "pretrained": false, status and step
//   log.csv         one row per step: step, loss, images_per_s, lr, grad_norm, the loss terms, elapsed_s
//   checkpoint.bin  weights + optimizer state + step (lib/train/checkpoint.ts), written atomically
// A run started again in the same folder resumes from the checkpoint and, on the same backend
// and worker count, continues bit-identically (data order and augmentation are functions of seed
// and step); a finished run is left as it is. With `workers` > 1 the gradients are computed on
// worker threads (lib/train/task-parallel.ts); the update, checkpoints and log are the same.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import { writeFileAtomic, writeJsonAtomic } from '../data/atomic.ts';
import type { Manifest } from '../data/manifest.ts';
import { readSplit } from '../data/open.ts';
import type { Dataset } from '../data/types.ts';
import { createTaskModel, type ModelConfig } from '../models/create.ts';
import type { DenseModel, Task } from '../models/dense.ts';
import type { FineTune } from '../models/backbone.ts';
import { countParams } from '../nn/param.ts';
import { pretrainedEncoderInfo, type PretrainedEncoderInfo } from '../nn/pretrained-encoder.ts';
import { fitKeypointBox, type KeypointBox } from '../models/keypoint-box.ts';
import { augment, drawAugParams, type AugSample } from './augment.ts';
import type { BackendInfo } from '../nn/runtime/backend.ts';
import { assembleBatch, type Batch } from './batch.ts';
import { augmentRng, batchIndices, poseRng } from './batches.ts';
import { readCheckpoint, restoreCheckpoint, saveCheckpoint } from './checkpoint.ts';
import { classSpec, type ClassSpec } from './classes.ts';
import { classCounts, enetWeights } from './class-weights.ts';
import { SampleSource, type BaseSample } from './loader.ts';
import { AdamW, learningRate } from './optimizer.ts';
import { drawPoseCrops } from './pose-crops.ts';
import type { Preset } from './presets.ts';
import { hasLabelledKeypoints, type TargetConfig } from './targets.ts';
import { computeGradients } from './task-gradients.ts';
import { createTaskParallel, type TaskParallel } from './task-parallel.ts';

export { computeGradients };

export const RUN_FILE = 'run.json';
export const LOG_FILE = 'log.csv';
export const CHECKPOINT_FILE = 'checkpoint.bin';

export interface TrainProgress {
  step: number;
  steps: number;
  loss: number;
  imagesPerSec: number;
  lr: number;
  parts: Record<string, number>;
}

export interface TrainOptions {
  manifest: Manifest;
  /** Training split (default 'train'). */
  split?: string;
  /** Root of a copy of the dataset whose images replace the originals' (e.g. anonymized). */
  dataDir?: string;
  task: Task;
  preset: Preset;
  seed: number;
  outDir: string;
  /** The active backend (from initBackend), recorded in run.json. */
  backend: BackendInfo;
  /** Called after every step. */
  onProgress?: (p: TrainProgress) => void;
  /** Informational lines (resume, completion). */
  log?: (line: string) => void;
  /** Stop after this many steps of this session, leaving the run resumable (for tests). */
  stopAfter?: number;
  /** Category names to train without, as if unannotated (lib/train/classes.ts). */
  excludeCategories?: string[];
  /** Worker threads computing the gradients (data parallelism, lib/train/task-parallel.ts);
   * default 1: in this thread. Not part of the run's identity: a run may be resumed with another
   * count (the result then matches an uninterrupted run only to float rounding). */
  workers?: number;
}

export interface TrainResult {
  outDir: string;
  step: number;
  steps: number;
  complete: boolean;
  /** Step the session started from (0 for a fresh run). */
  startStep: number;
  lastLoss: number;
  seconds: number;
}

/** Parts of the loss per task, in log.csv column order. */
export const LOSS_PARTS: Record<Task, string[]> = {
  semseg: ['semantic'],
  instances: ['semantic', 'center', 'offset', 'box'],
  keypoints: ['center', 'keypoints', 'offsets', 'size', 'local', 'semantic', 'pose'],
};

export interface RunRecord {
  format: 'anon-impact-run';
  version: 1;
  task: Task;
  preset: string;
  params: Preset;
  seed: number;
  manifest: string;
  dataset: string;
  split: string;
  data: string | null;
  /** The pretrained encoder under the trained head, with its origin and licence and which of its
   * layers were fine-tuned ('none': frozen whole; 'decoder'); false: trained from scratch. */
  pretrained: false | ({ name: string; fineTune: FineTune } & PretrainedEncoderInfo);
  model: ModelConfig;
  modelParams: number;
  classes: ClassSpec;
  trainSamples: number;
  /** Semantic class weights in use (preset classWeighting 'enet'), by class index. */
  classWeights?: number[];
  backend: Pick<BackendInfo, 'name' | 'tfBackend' | 'simd' | 'wasmKernels'>;
  versions: Record<string, string>;
  status: 'running' | 'complete';
  step: number;
  steps: number;
  startedAt: string;
  updatedAt: string;
  finishedAt?: string;
  /** Worker threads of the latest session (see `sessions` for each). */
  workers?: number;
  /** Training seconds summed over sessions. */
  seconds: number;
  sessions: { startedAt: string; fromStep: number; backend: string; workers?: number }[];
}

function packageVersion(): string {
  try {
    const require = createRequire(import.meta.url);
    return (require('../../package.json') as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

export function versions(): Record<string, string> {
  return { 'anon-impact': packageVersion(), node: process.versions.node, tfjs: tf.version.tfjs, sharp: sharp.versions.sharp ?? 'unknown', vips: sharp.versions.vips };
}

/** The fields that make two runs the same run (a folder resumes only the same run). */
function identity(r: Pick<RunRecord, 'task' | 'params' | 'seed' | 'manifest' | 'split' | 'data' | 'model' | 'classes'>): Record<string, string> {
  return {
    classes: JSON.stringify(r.classes),
    task: r.task,
    params: JSON.stringify(r.params),
    seed: String(r.seed),
    manifest: r.manifest,
    split: r.split,
    data: String(r.data),
    model: JSON.stringify(r.model),
  };
}

/** `keypointBox`: for a keypoints pose stage, the box-from-keypoints ratios of the training split (fitPoseBox). */
export function modelConfigFor(task: Task, preset: Preset, classes: ClassSpec, seed: number, keypointBox?: KeypointBox): ModelConfig {
  const m = preset.model;
  const common = { seed, width: m.width, depth: m.depth, blockDivisor: m.blockDivisor, decoderWidth: m.decoderWidth, outputStride: m.outputStride, norm: m.norm, ...(m.pretrained ? { pretrained: m.pretrained, headBlocks: m.headBlocks ?? 2, ...(m.fineTune === 'decoder' ? { fineTune: m.fineTune } : {}) } : {}) };
  if (task === 'keypoints') {
    const pose = preset.pose && preset.pose.batchSize > 0 ? { ...preset.pose.model, ...(keypointBox ? { keypointBox } : {}) } : undefined;
    return pose ? { task, ...common, pose } : { task, ...common };
  }
  if (task === 'semseg') return { task, ...common, numClasses: classes.names.length };
  return { task, ...common, numClasses: classes.names.length, thingClasses: classes.thingClasses };
}

export function targetConfig(preset: Preset): TargetConfig {
  return { outputStride: preset.model.outputStride, ...preset.targets };
}

async function readJsonIfExists<T>(file: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`${file}: cannot read: ${(e as Error).message}`);
  }
}

/** The log rows of steps <= `step` from an existing log.csv (header excluded). */
async function keptLogRows(file: string, header: string, step: number): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  const lines = text.split('\n').filter((l) => l.length > 0);
  if (lines.length === 0) return [];
  if (lines[0] !== header) throw new Error(`${file}: header '${lines[0]}' differs from '${header}'`);
  return lines.slice(1).filter((l) => Number(l.split(',')[0]) <= step);
}

/** The box-from-keypoints ratios (lib/models/keypoint-box.ts) of a split's people with keypoints. */
export function fitPoseBox(ds: Dataset): KeypointBox | undefined {
  const people = ds.samples.flatMap((s) => s.instances.filter((i) => !i.iscrowd && !i.ignore && i.keypoints));
  return fitKeypointBox(people.map((i) => ({ bbox: i.bbox, keypoints: i.keypoints })));
}

/** Box centres of the instances a focused crop may be placed around: trained thing instances
 * (semseg, instances) or persons with labelled keypoints (keypoints). */
export function focusPoints(s: BaseSample, model: Pick<DenseModel, 'task' | 'config'>): [number, number][] {
  const things = new Set((model.config.thingClasses as number[] | undefined) ?? []);
  const out: [number, number][] = [];
  for (const inst of s.instances) {
    if (inst.crowd || inst.ignore || inst.classIndex < 0 || inst.bbox[2] <= 0 || inst.bbox[3] <= 0) continue;
    if (model.task === 'keypoints' ? !hasLabelledKeypoints(inst) : model.task === 'instances' && !things.has(inst.classIndex)) continue;
    out.push([inst.bbox[0] + inst.bbox[2] / 2, inst.bbox[1] + inst.bbox[3] / 2]);
  }
  return out;
}

/** Builds the batch of `step`. */
export async function buildBatch(source: SampleSource, model: DenseModel, preset: Preset, seed: number, step: number): Promise<Batch> {
  const idx = batchIndices(seed, step, preset.batchSize, source.size);
  const bases: BaseSample[] = [];
  const samples: AugSample[] = [];
  for (let b = 0; b < idx.length; b++) {
    const s = await source.get(idx[b]);
    const p = drawAugParams(augmentRng(seed, step, b), s, preset.cropSize, preset.augment, focusPoints(s, model));
    bases.push(s);
    samples.push(augment(s, p, preset.cropSize));
  }
  const batch = assembleBatch(preset.task, model, samples, { ...targetConfig(preset), outputStride: model.outputStride });
  if (model.pose && preset.pose) {
    const g = { inputSize: model.pose.inputSize, expand: model.pose.expand, outputStride: model.pose.outputStride };
    batch.pose = drawPoseCrops(poseRng(seed, step), bases, g, preset.pose);
  }
  return batch;
}

export async function train(opts: TrainOptions): Promise<TrainResult> {
  const { preset, task, seed } = opts;
  if (preset.task !== task) throw new Error(`preset is for task ${preset.task}, not ${task}`);
  const outDir = resolve(opts.outDir);
  const split = opts.split ?? 'train';
  const log = opts.log ?? (() => {});
  const runFile = join(outDir, RUN_FILE);
  const ckptFile = join(outDir, CHECKPOINT_FILE);
  const logFile = join(outDir, LOG_FILE);
  const dataDir = opts.dataDir ? resolve(opts.dataDir) : null;
  const workers = opts.workers ?? 1;
  if (!Number.isInteger(workers) || workers < 1) throw new RangeError(`workers must be an integer >= 1, got ${workers}`);
  // worker threads split a batch over CPU cores (each its own backend, read synchronously); one
  // process drives a GPU
  if (workers > 1 && opts.backend.name === 'webgpu') throw new Error(`workers: ${workers} worker threads are for the CPU backends (wasm, cpu); on webgpu train in one thread (workers 1)`);

  const ds: Dataset = await readSplit(opts.manifest, split);
  if (ds.samples.length === 0) throw new Error(`${opts.manifest.path}: split '${split}' has no samples`);
  const classes = classSpec(ds, task, opts.excludeCategories ?? []);
  const modelConfig = modelConfigFor(task, preset, classes, seed, task === 'keypoints' && preset.pose && preset.pose.batchSize > 0 ? fitPoseBox(ds) : undefined);
  const now = new Date().toISOString();
  const fresh: RunRecord = {
    format: 'anon-impact-run',
    version: 1,
    task,
    preset: preset.name,
    params: preset,
    seed,
    manifest: opts.manifest.path,
    dataset: opts.manifest.name,
    split,
    data: dataDir,
    pretrained: preset.model.pretrained ? { name: preset.model.pretrained, fineTune: preset.model.fineTune ?? 'none', ...pretrainedEncoderInfo(preset.model.pretrained) } : false,
    model: modelConfig,
    modelParams: 0,
    classes,
    trainSamples: ds.samples.length,
    backend: { name: opts.backend.name, tfBackend: opts.backend.tfBackend, simd: opts.backend.simd, wasmKernels: opts.backend.wasmKernels },
    versions: versions(),
    status: 'running',
    step: 0,
    steps: preset.steps,
    workers,
    startedAt: now,
    updatedAt: now,
    seconds: 0,
    sessions: [],
  };
  const previous = await readJsonIfExists<RunRecord>(runFile);
  let record = fresh;
  if (previous) {
    const a = identity(previous);
    const b = identity(fresh);
    const diff = Object.keys(b).filter((k) => a[k] !== b[k]);
    if (diff.length) throw new Error(`${runFile}: this folder holds a different run (differs in ${diff.join(', ')}); use another --out`);
    record = { ...previous, backend: fresh.backend, versions: fresh.versions, workers };
  }

  const model = createTaskModel(modelConfig);
  record.modelParams = countParams(model);
  const opt = new AdamW(model.params, { lr: preset.lr, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: preset.weightDecay, clipNorm: preset.clipNorm });
  let step = 0;
  let parallel: TaskParallel | undefined;
  try {
    if (previous) {
      const ck = await readCheckpoint(ckptFile).catch((e: Error) => {
        if (previous.step > 0) throw e;
        return undefined;
      });
      if (ck) {
        restoreCheckpoint(ck, model.params, opt, ckptFile);
        step = ck.header.step;
        log(`resuming ${outDir} from step ${step} of ${preset.steps}`);
      }
    }
    const header = ['step', 'loss', 'images_per_s', 'lr', 'grad_norm', ...LOSS_PARTS[task], 'elapsed_s'].join(',');
    const rows = await keptLogRows(logFile, header, step);
    const startStep = step;
    const session = { startedAt: new Date().toISOString(), fromStep: step, backend: opts.backend.name, workers };
    record.sessions = [...record.sessions, session];
    record.step = step;
    if (step >= preset.steps) {
      record.status = 'complete';
      log(`${outDir}: run already complete (${step} steps)`);
      return { outDir, step, steps: preset.steps, complete: true, startStep, lastLoss: NaN, seconds: 0 };
    }
    record.status = 'running';
    record.updatedAt = new Date().toISOString();
    await writeJsonAtomic(runFile, record, 2);

    const source = new SampleSource(ds, { task, classes, size: preset.imageSize, imageRoot: dataDir ?? undefined });
    let classWeights: Float32Array | undefined;
    if (preset.classWeighting === 'enet' && task !== 'keypoints') {
      // class frequencies over the training split at the base size (this also fills the cache)
      const maps: Uint8Array[] = [];
      for (let i = 0; i < source.size; i++) maps.push((await source.get(i)).semantic!);
      classWeights = enetWeights(classCounts(maps, classes.names.length)).map((w) => w ** preset.classWeightPower);
      record.classWeights = Array.from(classWeights, (w) => Number(w.toPrecision(6)));
    }
    // Worker start-up (each builds its backend and replica) is not counted in the training time.
    if (workers > 1) parallel = await createTaskParallel({ workers, model, modelConfig, preset, classWeights, backend: opts.backend });
    const t0 = performance.now();
    const secondsBefore = record.seconds;
    let lastLoss = NaN;
    let lastWrite = performance.now();
    const meta = { task, model: modelConfig, classes, imageSize: preset.imageSize };
    const checkpoint = async () => {
      await saveCheckpoint(ckptFile, step, seed, model.params, opt, meta);
      await writeFileAtomic(logFile, [header, ...rows].join('\n') + '\n');
      record.step = step;
      record.seconds = secondsBefore + (performance.now() - t0) / 1000;
      record.updatedAt = new Date().toISOString();
      if (step >= preset.steps) {
        record.status = 'complete';
        record.finishedAt = record.updatedAt;
      }
      await writeJsonAtomic(runFile, record, 2);
    };
    const stopAt = opts.stopAfter !== undefined ? Math.min(preset.steps, step + opts.stopAfter) : preset.steps;
    while (step < stopAt) {
      const ts = performance.now();
      const batch = await buildBatch(source, model, preset, seed, step);
      const lr = learningRate(preset.lr, { steps: preset.steps, warmupSteps: preset.warmupSteps, minLrRatio: preset.minLrRatio }, step);
      const { loss, parts, grads } = parallel ? await parallel.gradients(batch) : await computeGradients(model, batch, preset, classWeights);
      if (!Number.isFinite(loss)) {
        for (const g of grads) g.dispose();
        throw new Error(`step ${step + 1}: the loss is ${loss}; lower the learning rate (preset lr ${preset.lr})`);
      }
      const gradNorm = await opt.apply(grads, lr);
      for (const g of grads) g.dispose();
      parallel?.publish();
      step++;
      lastLoss = loss;
      const ips = batch.n / Math.max(1e-6, (performance.now() - ts) / 1000);
      const elapsed = secondsBefore + (performance.now() - t0) / 1000;
      rows.push([step, loss.toPrecision(6), ips.toFixed(2), lr.toPrecision(6), gradNorm.toPrecision(6), ...LOSS_PARTS[task].map((k) => (parts[k] ?? NaN).toPrecision(6)), elapsed.toFixed(2)].join(','));
      opts.onProgress?.({ step, steps: preset.steps, loss, imagesPerSec: ips, lr, parts });
      if (step % preset.checkpointEvery === 0 || step === stopAt) {
        await checkpoint();
        lastWrite = performance.now();
      } else if (performance.now() - lastWrite > 10000) {
        // keep log.csv current for people watching it; rows past the checkpoint are dropped on resume
        await writeFileAtomic(logFile, [header, ...rows].join('\n') + '\n');
        lastWrite = performance.now();
      }
    }
    const seconds = (performance.now() - t0) / 1000;
    if (step >= preset.steps) log(`${outDir}: trained ${preset.steps} steps (${seconds.toFixed(1)} s this session)`);
    return { outDir, step, steps: preset.steps, complete: step >= preset.steps, startStep, lastLoss, seconds };
  } finally {
    await parallel?.dispose();
    opt.dispose();
    model.dispose();
  }
}
