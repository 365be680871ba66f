// Training presets per task. `quick` trains a small model in one to fifteen minutes of one CPU core (wasm
// backend) and learns the synthetic dataset above chance (docs/train.md), far from converged (longer
// schedules keep improving: `--steps`); `paper` is the long schedule at high resolution meant for
// a GPU (tfjs-node-gpu) or a long CPU run. Every value can
// be overridden field by field (PresetOverrides); the resolved preset is recorded in run.json.
import type { BackboneDepth, FineTune } from '../models/backbone.ts';
import type { PretrainedEncoderName } from '../nn/pretrained-encoder.ts';
import type { Task } from '../models/dense.ts';
import type { PoseOptions } from '../models/pose.ts';
import type { AugConfig } from './augment.ts';
import type { PoseTrainConfig } from './pose-crops.ts';
import { DEFAULT_LOSS_WEIGHTS, type LossWeights } from './objectives.ts';
import { DEFAULT_TARGETS } from './targets.ts';

export const PRESET_NAMES = ['quick', 'scratch', 'paper'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

export interface Preset {
  name: PresetName;
  task: Task;
  /** Every image is first resized to fit inside [width, height] (aspect kept); prediction runs
   * on the whole image at this size. */
  imageSize: [number, number];
  /** Training crop [width, height] taken from the (scale-jittered) resized image. */
  cropSize: [number, number];
  /** `pretrained`: a pretrained encoder under a trainable head of `headBlocks` 3x3 layers of
   * decoderWidth channels (lib/models/pretrained-backbone.ts), its decoder fine-tuned with
   * `fineTune` 'decoder' (else frozen whole); absent: the from-scratch network
   * (width, depth, blockDivisor, norm; lib/models/backbone.ts). */
  model: { width: number; depth: BackboneDepth; blockDivisor: number; decoderWidth: number; outputStride: number; norm: 'none' | 'group'; pretrained?: PretrainedEncoderName; headBlocks?: number; fineTune?: FineTune };
  batchSize: number;
  steps: number;
  lr: number;
  warmupSteps: number;
  minLrRatio: number;
  weightDecay: number;
  clipNorm: number;
  augment: AugConfig;
  targets: { minSigma: number; sigmaScale: number; keypointSigmaRatio: number };
  lossWeights: LossWeights;
  /** Fraction of labelled pixels in the semantic loss (bootstrapped cross-entropy; 1: all). */
  semanticTopK: number;
  /** Semantic class weights: 'enet' (from the training set's class frequencies) or 'none'. */
  classWeighting: 'enet' | 'none';
  /** Exponent applied to the class weights (1: ENet's weights; 0.5 softens them). */
  classWeightPower: number;
  /** Steps between checkpoints (the last step is always checkpointed). */
  checkpointEvery: number;
  /** keypoints: the top-down pose stage (lib/models/pose.ts), trained in the same steps on crops
   * of the step's people (lib/train/pose-crops.ts); absent or batchSize 0: single-stage only. */
  pose?: PosePreset;
}

export interface PosePreset extends PoseTrainConfig {
  model: Required<Pick<PoseOptions, 'width' | 'decoderWidth' | 'outputStride' | 'inputSize' | 'expand'>>;
}

const base = (task: Task, name: PresetName) => ({
  name,
  task,
  augment: { scaleMin: 0.8, scaleMax: 1.25, flip: true },
  targets: { ...DEFAULT_TARGETS },
  lossWeights: { ...DEFAULT_LOSS_WEIGHTS },
  semanticTopK: 1,
  classWeighting: name === 'quick' ? ('enet' as const) : ('none' as const),
  classWeightPower: 1,
  minLrRatio: 0.02,
  weightDecay: 1e-4,
  clipNorm: 10,
});

/** The quick presets' model and schedule; the tasks differ as written in PRESETS. */
const quickModel: Preset['model'] = { width: 8, depth: 18, blockDivisor: 3, decoderWidth: 16, outputStride: 4, norm: 'none' };
const quick = (task: Task): Preset => ({
  ...base(task, 'quick'),
  imageSize: [512, 256],
  cropSize: [128, 128],
  model: quickModel,
  batchSize: 4,
  steps: 1000,
  lr: 3e-3,
  warmupSteps: 20,
  checkpointEvery: 100,
});

/** The paper presets' model and schedule. */
const paper = (task: Task): Preset => ({
  ...base(task, 'paper'),
  imageSize: [2048, 1024],
  cropSize: [1024, 512],
  model: { width: 32, depth: 50, blockDivisor: 1, decoderWidth: 64, outputStride: 4, norm: 'none' },
  batchSize: 8,
  steps: 20000,
  lr: 1e-3,
  warmupSteps: 500,
  checkpointEvery: 500,
});

/** Augmentation with crops placed around objects of interest (instances, keypoints). */
const FOCUS: AugConfig = { scaleMin: 0.8, scaleMax: 1.25, flip: true, focus: 0.7 };

/** The top-down pose stage of the quick keypoints preset: 16 crops per step of 32x64 pixels,
 * heatmaps of 16x32 cells with sigma 1 (the paper preset's heatmaps, 48x64 as Simple Baselines',
 * take their sigma 2). */
const QUICK_POSE: PosePreset = {
  model: { width: 16, decoderWidth: 32, outputStride: 2, inputSize: [32, 64], expand: 1.25 },
  batchSize: 16,
  sigma: 1,
  scaleJitter: [0.8, 1.25],
  shiftJitter: 0.1,
  flip: true,
};

// quick: images at the synthetic dataset's default size (512x256); measured (docs/train.md):
// semseg ~40, instances ~120, keypoints (both stages) ~850 CPU-seconds on one core.
const QUICK: Record<Task, Preset> = {
  semseg: { ...quick('semseg'), steps: 600 },
  // instances: a trainable head (one 3x3 layer) on the CenterNet-MobileNetV3 (COCO) encoder, its
  // backbone frozen and its decoder fine-tuned, 1500 steps (~115 CPU-seconds; person segm AP 26.5
  // on the main job's synthetic set with predict's default decoding, 16.5 with the whole encoder
  // frozen, 11.5 for the from-scratch model's 4000 steps (~190 CPU-seconds), cityscapesScripts'
  // instance AP all: docs/train.md); the `scratch` preset keeps that from-scratch model, which
  // never saw a real person
  // warm-up 60 steps (the other presets' 20): the new head's first, large gradients reach the
  // pretrained decoder more gently (550 steps, 5 seeds: person segm AP 19.8 -> 21.4, docs/train.md)
  instances: { ...quick('instances'), augment: FOCUS, classWeightPower: 0.5, model: { ...quickModel, decoderWidth: 32, pretrained: 'centernet-mobilenetv3-coco', headBlocks: 1, fineTune: 'decoder' }, steps: 1500, warmupSteps: 60 },
  // keypoints: first stage 256x256 crops x 2, decoder 32, 3000 steps at 512x256 (of the
  // single-stage settings tried on synth 1024x512 the only one whose keypoint AP left zero);
  // the pose stage (16 crops of 32x64 per step) takes keypoint AP from 0.0018 to ~0.05 (docs/train.md)
  keypoints: { ...quick('keypoints'), augment: FOCUS, model: { ...quickModel, decoderWidth: 32 }, cropSize: [256, 256], batchSize: 2, steps: 3000, pose: QUICK_POSE },
};

// scratch: no pretrained weights anywhere (the quick presets of semseg and keypoints have none)
const SCRATCH: Record<Task, Preset> = {
  semseg: { ...QUICK.semseg, name: 'scratch' },
  // instances: 4000 steps (bbox AP 0.004 at 1000 -> 0.074 with the box term at weight 1; for the
  // same compute, 128x128 x 4 crops did better than 256x256 x 2: docs/train.md)
  instances: { ...quick('instances'), name: 'scratch', augment: FOCUS, classWeightPower: 0.5, model: { ...quickModel, decoderWidth: 32 }, steps: 4000 },
  keypoints: { ...QUICK.keypoints, name: 'scratch' },
};

const PRESETS: Record<PresetName, Record<Task, Preset>> = {
  quick: QUICK,
  scratch: SCRATCH,
  paper: {
    semseg: paper('semseg'),
    instances: paper('instances'),
    keypoints: { ...paper('keypoints'), imageSize: [800, 800], cropSize: [512, 512], pose: { ...QUICK_POSE, batchSize: 64, sigma: 2, model: { ...QUICK_POSE.model, width: 32, decoderWidth: 64, inputSize: [96, 128] } } },
  },
};

export type PresetOverrides = Partial<Omit<Preset, 'name' | 'task' | 'model' | 'augment' | 'targets' | 'lossWeights' | 'pose'>> & {
  model?: Partial<Preset['model']>;
  pose?: Partial<Omit<PosePreset, 'model'>> & { model?: Partial<PosePreset['model']> };
  augment?: Partial<AugConfig>;
  targets?: Partial<Preset['targets']>;
  lossWeights?: Partial<LossWeights>;
};

/** The preset `name` for `task`, with overrides applied. */
export function getPreset(name: string, task: Task, over: PresetOverrides = {}): Preset {
  if (!(PRESET_NAMES as readonly string[]).includes(name)) throw new Error(`unknown preset '${name}' (${PRESET_NAMES.join(', ')})`);
  const p = PRESETS[name as PresetName][task];
  if (!p) throw new Error(`unknown task '${task}' (semseg, instances, keypoints)`);
  const out: Preset = {
    ...structuredClone(p),
    ...over,
    name: p.name,
    task: p.task,
    model: { ...p.model, ...over.model },
    augment: { ...p.augment, ...over.augment },
    targets: { ...p.targets, ...over.targets },
    lossWeights: { ...p.lossWeights, ...over.lossWeights },
  } as Preset;
  if (p.pose) out.pose = { ...p.pose, ...over.pose, model: { ...p.pose.model, ...over.pose?.model } };
  else if (over.pose) throw new Error(`preset ${p.name} for ${p.task} has no pose stage to override`);
  if (!Number.isInteger(out.steps) || out.steps < 1) throw new RangeError(`preset steps must be an integer >= 1, got ${out.steps}`);
  if (!Number.isInteger(out.batchSize) || out.batchSize < 1) throw new RangeError(`preset batchSize must be an integer >= 1, got ${out.batchSize}`);
  const os = out.model.outputStride;
  if (out.cropSize.some((d) => !Number.isInteger(d) || d < 32 || d % 32 !== 0)) throw new RangeError(`preset cropSize must be multiples of 32 (>= 32), got [${out.cropSize}]`);
  if (out.imageSize.some((d) => !Number.isInteger(d) || d < 1)) throw new RangeError(`preset imageSize must be positive integers, got [${out.imageSize}]`);
  if (![2, 4, 8].includes(os)) throw new RangeError(`outputStride must be 2, 4 or 8, got ${os}`);
  if (out.pose && (!Number.isInteger(out.pose.batchSize) || out.pose.batchSize < 0)) throw new RangeError(`preset pose.batchSize must be an integer >= 0, got ${out.pose.batchSize}`);
  return out;
}
