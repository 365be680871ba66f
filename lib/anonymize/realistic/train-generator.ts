// Training of the built-in generator (builtin-model.ts) on a dataset's face or body crops
// (training-data.ts): a conditional GAN with the non-saturating logistic loss (Goodfellow et al.
// 2014; StyleGAN2's default) plus L1 reconstruction:
//   D: softplus(D(fake)) + softplus(-D(real)), averaged over patches
//   G: softplus(-D(fake)) + l1Region * L1 inside the region + l1Context * L1 outside it
// where fake is the generated crop composited into the original (region from the generator,
// context from the original) and every L1 is a mean over the pixels it covers. Adam (lr 0.002,
// betas (0, 0.99), StyleGAN2's) for both networks; an exponential moving average of the
// generator's weights (beta 0.995, ramped up as min(beta, (1 + t) / (10 + t))) is what inference
// loads (DP2 keeps an EMA generator too).
//
// Reproducible and resumable: the batch of step t (which crops, which flips) and its latents are
// drawn from a generator keyed by (seed, t), so the whole random state is (seed, step). A
// checkpoint (weights, EMA, both Adam states, the step) is written atomically every
// `checkpointEvery` steps and at the end, just after the per-step log (log.csv) and before the
// sample grid; a resume keeps the log's rows up to the checkpoint's step, so after a kill the
// folder holds a consistent state at the last checkpoint,
// and running the same command again continues from there: same backend, same result as a run
// that was never interrupted.
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { writeFileAtomic, writeJsonAtomic } from '../../data/atomic.ts';
import { writeImage } from '../../data/image.ts';
import { Rng } from '../../data/rng.ts';
import type { Param } from '../../nn/param.ts';
import type { PersonRegionKind } from '../../regions/region.ts';
import { Adam, type AdamOptions } from './adam.ts';
import { CHECKPOINT_BIN, GENERATOR_FORMAT, GENERATOR_JSON, type GeneratorRecord } from './builtin-generator.ts';
import { defaultConfig, DiscriminatorNet, GeneratorNet, inputTensor, type BuiltinConfig } from './builtin-model.ts';
import type { GeneratorInput } from './generator.ts';
import { flipKeypoints } from './keypoint-maps.ts';
import { sampleZ } from './latent.ts';
import { sampleGrid } from './sample-grid.ts';
import { collectTrainingCrops, type TrainingCrop } from './training-data.ts';
import { readWeights, takeArray, writeWeights, type NamedArray } from './weights-file.ts';

export interface TrainGeneratorOptions {
  out: string;
  manifest: string;
  split?: string;
  kind: PersonRegionKind;
  /** [height, width]; default builtin-model.ts DEFAULT_SIZE. */
  size?: [number, number];
  steps: number;
  seed?: number;
  batch?: number;
  checkpointEvery?: number;
  channels?: number[];
  dChannels?: number[];
  lr?: number;
  l1Region?: number;
  l1Context?: number;
  emaBeta?: number;
  /** Examples in the sample grid (default 6). */
  gridRows?: number;
  /** Regions whose crop is smaller than this many image pixels on a side are left out (default 8). */
  minCropSide?: number;
  /** One progress line (default: stderr). */
  log?: (line: string) => void;
}

export const TRAIN_DEFAULTS = {
  split: 'train',
  seed: 0,
  batch: 8,
  checkpointEvery: 50,
  lr: 0.002,
  l1Region: 1,
  l1Context: 1,
  emaBeta: 0.995,
  gridRows: 6,
  minCropSide: 8,
};

export const LOG_CSV = 'log.csv';
const LOG_HEADER = 'step,loss_d,loss_g_adv,l1_region,l1_context,d_real,d_fake,seconds';

export interface TrainResult {
  steps: number;
  resumedFrom: number;
  crops: number;
  samplesFile: string;
}

const GAN_ADAM = (lr: number): AdamOptions => ({ lr, beta1: 0, beta2: 0.99, eps: 1e-8 });

/** The training settings that must match for a folder to be resumed. */
function identity(cfg: BuiltinConfig, o: Required<Pick<TrainGeneratorOptions, 'manifest' | 'split' | 'batch' | 'lr' | 'l1Region' | 'l1Context' | 'emaBeta'>>): Record<string, unknown> {
  return { config: cfg, manifest: o.manifest, split: o.split, batch: o.batch, lr: o.lr, l1Region: o.l1Region, l1Context: o.l1Context, emaBeta: o.emaBeta };
}

function paramArrays(prefix: string, params: readonly Param[]): Promise<NamedArray[]> {
  return Promise.all(params.map(async (p) => ({ key: `${prefix}/${p.name}`, shape: p.variable.shape, data: new Float32Array(await p.variable.data()) })));
}

async function adamArrays(prefix: string, params: readonly Param[], a: Adam): Promise<NamedArray[]> {
  const s = await a.state();
  return params.flatMap((p, i) => [
    { key: `${prefix}.m/${p.name}`, shape: p.variable.shape, data: s.m[i]! },
    { key: `${prefix}.v/${p.name}`, shape: p.variable.shape, data: s.v[i]! },
  ]);
}

/** One batch: the crops of step t (with horizontal flips) as generator inputs and targets. */
function batchOf(crops: readonly TrainingCrop[], W: number, H: number, seed: number, step: number, B: number): { inputs: GeneratorInput[]; targets: Uint8Array[] } {
  const rng = new Rng(`anon-impact-train-generator/${seed}/batch/${step}`);
  const inputs: GeneratorInput[] = [];
  const targets: Uint8Array[] = [];
  for (let b = 0; b < B; b++) {
    const c = crops[Math.floor(rng.next() * crops.length)]!;
    const flip = rng.next() < 0.5;
    let target = c.target;
    let mask = c.mask;
    let kp = c.keypoints;
    if (flip) {
      target = new Uint8Array(target.length);
      mask = new Uint8Array(mask.length);
      for (let y = 0; y < H; y++) {
        for (let x = 0; x < W; x++) {
          const s = y * W + x;
          const d = y * W + (W - 1 - x);
          mask[d] = c.mask[s]!;
          for (let k = 0; k < 3; k++) target[d * 3 + k] = c.target[s * 3 + k]!;
        }
      }
      if (kp) kp = flipKeypoints(kp, W);
    }
    const image = target.slice();
    for (let i = 0; i < W * H; i++) if (mask[i]) image[i * 3] = image[i * 3 + 1] = image[i * 3 + 2] = 0;
    const inp: GeneratorInput = { image, mask };
    if (kp) inp.keypoints = kp;
    inputs.push(inp);
    targets.push(target);
  }
  return { inputs, targets };
}

function targetTensor(targets: readonly Uint8Array[], W: number, H: number): tf.Tensor4D {
  const data = new Float32Array(targets.length * W * H * 3);
  targets.forEach((t, n) => {
    for (let i = 0; i < t.length; i++) data[n * t.length + i] = (t[i]! / 255) * 2 - 1;
  });
  return tf.tensor4d(data, [targets.length, H, W, 3]);
}

async function toBytes(t: tf.Tensor4D): Promise<Uint8Array[]> {
  const [n, h, w] = t.shape;
  const bytes = tf.tidy(() => tf.round(tf.clipByValue(tf.mul(tf.add(t, 1), 127.5), 0, 255)));
  const d = await bytes.data();
  bytes.dispose();
  const px = h * w * 3;
  return Array.from({ length: n }, (_, i) => Uint8Array.from(d.subarray(i * px, (i + 1) * px)));
}

export async function trainGenerator(o: TrainGeneratorOptions): Promise<TrainResult> {
  const out = resolve(o.out);
  const log = o.log ?? ((l: string) => process.stderr.write(l + '\n'));
  const seed = o.seed ?? TRAIN_DEFAULTS.seed;
  const B = o.batch ?? TRAIN_DEFAULTS.batch;
  const every = o.checkpointEvery ?? TRAIN_DEFAULTS.checkpointEvery;
  const lr = o.lr ?? TRAIN_DEFAULTS.lr;
  const l1Region = o.l1Region ?? TRAIN_DEFAULTS.l1Region;
  const l1Context = o.l1Context ?? TRAIN_DEFAULTS.l1Context;
  const emaBeta = o.emaBeta ?? TRAIN_DEFAULTS.emaBeta;
  const split = o.split ?? TRAIN_DEFAULTS.split;
  if (!Number.isInteger(o.steps) || o.steps < 1) throw new RangeError(`steps must be a positive integer, got ${o.steps}`);
  if (!Number.isInteger(B) || B < 1) throw new RangeError(`batch must be a positive integer, got ${B}`);
  if (!Number.isInteger(every) || every < 1) throw new RangeError(`checkpoint interval must be a positive integer, got ${every}`);
  const cfg = defaultConfig(o.kind, o.size, seed);
  if (o.channels) cfg.channels = o.channels;
  if (o.dChannels) cfg.dChannels = o.dChannels;
  const manifest = resolve(o.manifest);
  const id = identity(cfg, { manifest, split, batch: B, lr, l1Region, l1Context, emaBeta });

  await mkdir(out, { recursive: true });
  const recFile = join(out, GENERATOR_JSON);
  if (existsSync(recFile)) {
    const old = JSON.parse(await readFile(recFile, 'utf8')) as GeneratorRecord;
    const was = JSON.stringify(old.training?.identity);
    if (was !== JSON.stringify(id)) {
      throw new Error(`${out} holds a generator trained with other settings (${recFile}: ${was}); use a new folder or the same options`);
    }
  }

  const W = cfg.width;
  const H = cfg.height;
  const data = await collectTrainingCrops({ manifest, split, kind: o.kind, width: W, height: H, keypoints: cfg.keypoints, minCropSide: o.minCropSide ?? TRAIN_DEFAULTS.minCropSide });
  log(`train-generator: ${data.crops.length} ${o.kind} crops at ${H}x${W} from ${data.images} images of ${manifest} (${split}); ${data.small} regions under ${o.minCropSide ?? TRAIN_DEFAULTS.minCropSide} px left out`);

  const record: GeneratorRecord = {
    format: GENERATOR_FORMAT,
    version: 1,
    config: cfg,
    training: { identity: id, seed, steps: o.steps, checkpointEvery: every, crops: data.crops.length, images: data.images, backend: tf.getBackend() },
  };
  await writeJsonAtomic(recFile, record, 2);

  const G = new GeneratorNet(cfg);
  const EMA = new GeneratorNet(cfg);
  const D = new DiscriminatorNet(cfg);
  const optG = new Adam(G.params.map((p) => p.variable), GAN_ADAM(lr));
  const optD = new Adam(D.params.map((p) => p.variable), GAN_ADAM(lr));
  tf.tidy(() => EMA.params.forEach((p, i) => p.variable.assign(G.params[i]!.variable)));
  const ckFile = join(out, CHECKPOINT_BIN);
  const logFile = join(out, LOG_CSV);
  let step0 = 0;
  let rows: string[] = [];
  if (existsSync(ckFile)) {
    const wf = await readWeights(ckFile);
    step0 = Number(wf.meta.step);
    if (!Number.isInteger(step0) || step0 < 0) throw new Error(`${ckFile}: bad step ${String(wf.meta.step)}`);
    tf.tidy(() => {
      for (const [prefix, ps] of [['G', G.params], ['EMA', EMA.params], ['D', D.params]] as const) {
        for (const p of ps) p.variable.assign(tf.tensor(takeArray(wf, `${prefix}/${p.name}`, p.variable.shape, ckFile), p.variable.shape));
      }
    });
    for (const [prefix, ps, opt] of [['adamG', G.params, optG], ['adamD', D.params, optD]] as const) {
      opt.setState({
        t: Number(wf.meta[`${prefix}.t`]),
        m: ps.map((p) => takeArray(wf, `${prefix}.m/${p.name}`, p.variable.shape, ckFile)),
        v: ps.map((p) => takeArray(wf, `${prefix}.v/${p.name}`, p.variable.shape, ckFile)),
      });
    }
    if (existsSync(logFile)) {
      rows = (await readFile(logFile, 'utf8'))
        .split('\n')
        .slice(1)
        .filter((l) => l !== '' && Number(l.split(',')[0]) <= step0);
    }
    log(`train-generator: resuming from the checkpoint at step ${step0}`);
  }

  // fixed examples and latents for the sample grid
  const gridRows = Math.min(o.gridRows ?? TRAIN_DEFAULTS.gridRows, data.crops.length);
  const gridRng = new Rng(`anon-impact-train-generator/${seed}/grid`);
  const gridCrops = Array.from({ length: gridRows }, () => data.crops[Math.floor(gridRng.next() * data.crops.length)]!);
  const gridZ = sampleZ(gridRng, gridRows, cfg.zDim);
  const gridInputs: GeneratorInput[] = gridCrops.map((c) => {
    const image = c.target.slice();
    for (let i = 0; i < W * H; i++) if (c.mask[i]) image[i * 3] = image[i * 3 + 1] = image[i * 3 + 2] = 0;
    return c.keypoints ? { image, mask: c.mask, keypoints: c.keypoints } : { image, mask: c.mask };
  });
  const scale = Math.max(1, Math.min(4, Math.floor(160 / H)));
  const samplesDir = join(out, 'samples');
  const writeSamples = async (step: number): Promise<string> => {
    const gen = tf.tidy(() => EMA.forward(inputTensor(cfg, gridInputs), EMA.map(tf.tensor2d(gridZ, [gridRows, cfg.zDim]))));
    const bytes = await toBytes(gen);
    gen.dispose();
    const img = sampleGrid(gridCrops.map((c, i) => ({ original: c.target, mask: c.mask, generated: bytes[i]! })), W, H, scale);
    const f = join(samplesDir, `step-${String(step).padStart(6, '0')}.png`);
    await writeImage(f, img);
    await writeImage(join(samplesDir, 'latest.png'), img);
    return f;
  };
  const checkpoint = async (step: number): Promise<string> => {
    const arrays = (
      await Promise.all([paramArrays('G', G.params), paramArrays('EMA', EMA.params), paramArrays('D', D.params), adamArrays('adamG', G.params, optG), adamArrays('adamD', D.params, optD)])
    ).flat();
    // the log first: a resume keeps its rows up to the checkpoint's step, so a kill between the
    // two writes leaves rows past the checkpoint, never a gap
    await writeFileAtomic(logFile, [LOG_HEADER, ...rows].join('\n') + '\n');
    await writeWeights(ckFile, { step, 'adamG.t': optG.t, 'adamD.t': optD.t, config: cfg }, arrays);
    return writeSamples(step);
  };

  const cond = (x: tf.Tensor4D) => tf.slice(x, [0, 0, 0, 3], [-1, -1, -1, -1]) as tf.Tensor4D;
  const mean = (t: tf.Tensor) => tf.mean(t) as tf.Scalar;
  let samplesFile = join(samplesDir, 'latest.png');
  const t0 = Date.now();
  let lastLog = 0;
  for (let step = step0; step < o.steps; step++) {
    const ts = Date.now();
    const { inputs, targets } = batchOf(data.crops, W, H, seed, step, B);
    const z = sampleZ(new Rng(`anon-impact-train-generator/${seed}/z/${step}`), B, cfg.zDim);
    const x = inputTensor(cfg, inputs);
    const real = targetTensor(targets, W, H);
    const c = cond(x);
    const m = tf.slice(x, [0, 0, 0, 3], [-1, -1, -1, 1]) as tf.Tensor4D;
    const zt = tf.tensor2d(z, [B, cfg.zDim]);
    // discriminator step
    const fake = tf.tidy(() => {
      const y = G.forward(x, G.map(zt));
      return tf.add(tf.mul(y, m), tf.mul(real, tf.sub(1, m))) as tf.Tensor4D;
    });
    const dVars = D.params.map((p) => p.variable);
    // the logged values are kept as tensors and read after the step, asynchronously (webgpu in
    // Node has no synchronous read)
    let dStatsT: tf.Tensor[] = [];
    const lossDT = tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => {
        const lf = D.forward(tf.concat([fake, c], 3));
        const lr_ = D.forward(tf.concat([real, c], 3));
        dStatsT = [tf.keep(mean(lr_)), tf.keep(mean(lf))];
        return tf.add(mean(tf.softplus(lf)), mean(tf.softplus(tf.neg(lr_)))) as tf.Scalar;
      }, dVars);
      optD.step(dVars.map((v) => grads[v.name]!));
      return value;
    });
    fake.dispose();
    // generator step
    const gVars = G.params.map((p) => p.variable);
    let partsT: tf.Tensor[] = [];
    tf.tidy(() => {
      const { grads } = tf.variableGrads(() => {
        const y = G.forward(x, G.map(zt));
        const comp = tf.add(tf.mul(y, m), tf.mul(real, tf.sub(1, m))) as tf.Tensor4D;
        const logits = D.forward(tf.concat([comp, c], 3));
        const adv = mean(tf.softplus(tf.neg(logits)));
        const diff = tf.abs(tf.sub(y, real));
        const inM = tf.div(tf.sum(tf.mul(diff, m)), tf.add(tf.mul(tf.sum(m), 3), 1e-6));
        const outM = tf.div(tf.sum(tf.mul(diff, tf.sub(1, m))), tf.add(tf.mul(tf.sum(tf.sub(1, m)), 3), 1e-6));
        partsT = [tf.keep(adv), tf.keep(inM), tf.keep(outM)];
        return tf.addN([adv, tf.mul(inM, l1Region), tf.mul(outM, l1Context)]) as tf.Scalar;
      }, gVars);
      optG.step(gVars.map((v) => grads[v.name]!));
    });
    // EMA of the generator
    const beta = Math.min(emaBeta, (1 + step) / (10 + step));
    tf.tidy(() => EMA.params.forEach((p, i) => p.variable.assign(tf.add(tf.mul(p.variable, beta), tf.mul(G.params[i]!.variable, 1 - beta)))));
    tf.dispose([x, real, c, m, zt]);
    const readScalars = async (ts: tf.Tensor[]) => Float32Array.from(await Promise.all(ts.map(async (t) => (await t.data())[0]!)));
    const [lossD] = await readScalars([lossDT]);
    const dStats = await readScalars(dStatsT);
    const parts = await readScalars(partsT);
    tf.dispose([lossDT, ...dStatsT, ...partsT]);
    const secs = (Date.now() - ts) / 1000;
    const done = step + 1;
    rows.push(`${done},${[lossD, parts[0]!, parts[1]!, parts[2]!, dStats[0]!, dStats[1]!].map((v) => v.toPrecision(6)).join(',')},${secs.toFixed(3)}`);
    if (done === o.steps || done % every === 0) samplesFile = await checkpoint(done);
    const now = Date.now();
    if (now - lastLog > 2000 || done === o.steps || done === step0 + 1) {
      lastLog = now;
      const el = (now - t0) / 1000;
      const rate = (done - step0) / el;
      const eta = (o.steps - done) / rate;
      log(`train-generator step ${done}/${o.steps} (${Math.floor((100 * done) / o.steps)}%) loss_d ${lossD.toFixed(3)} loss_g ${parts[0]!.toFixed(3)} l1 ${parts[1]!.toFixed(3)}/${parts[2]!.toFixed(3)}, ${rate.toFixed(2)} steps/s, ETA ${eta.toFixed(0)} s`);
    }
  }
  if (step0 >= o.steps) {
    log(`train-generator: the checkpoint is at step ${step0}, nothing to do for --steps ${o.steps}`);
    if (!existsSync(samplesFile)) samplesFile = await writeSamples(step0);
  }
  G.dispose();
  EMA.dispose();
  D.dispose();
  optG.dispose();
  optD.dispose();
  return { steps: Math.max(step0, o.steps), resumedFrom: step0, crops: data.crops.length, samplesFile };
}
