// `anon-impact train`: trains a task model on a dataset (optionally on an anonymized copy's
// images), resuming from the run folder's checkpoint when there is one.
import { resolve } from 'node:path';
import { loadManifest } from '../data/manifest.ts';
import { TASKS, type Task } from '../models/dense.ts';
import { BACKENDS, initBackend, type BackendChoice } from '../nn/runtime/backend.ts';
import { PRESET_NAMES, getPreset, type PresetOverrides } from '../train/presets.ts';
import { train } from '../train/trainer.ts';
import { FINE_TUNE, type BackboneDepth, type FineTune } from '../models/backbone.ts';
import { PRETRAINED_ENCODER_NAMES, type PretrainedEncoderName } from '../nn/pretrained-encoder.ts';
import { int, num, parse, required } from './args.ts';
import { progress } from './progress.ts';

const HELP = `usage: anon-impact train --manifest M --task semseg|instances|keypoints --out RUN_DIR
                         [--preset ${PRESET_NAMES.join('|')}] [--seed S] [--data DIR] [--split train]
                         [--backend ${BACKENDS.join('|')}] [--workers N]
                         [--steps N] [--batch-size N] [--lr X] [--image-size WxH] [--crop-size WxH]
                         [--backbone scratch|${PRETRAINED_ENCODER_NAMES.join('|')}]
                         [--model-width C] [--depth 18|50|101|152] [--decoder-width D]
                         [--head-blocks N] [--fine-tune none|decoder] [--checkpoint-every N]
                         [--pose-crops N] [--exclude-categories NAME,...]

Trains a model (from scratch, or a head on a pretrained encoder whose weights ship in an npm
package, frozen or with its decoder fine-tuned: --backbone, --fine-tune) and writes
RUN_DIR/run.json (parameters, backend, versions), RUN_DIR/log.csv (per step: loss, images/s,
lr, ...) and RUN_DIR/checkpoint.bin.
Run the same command again after an interruption: it resumes from the last checkpoint.

  --manifest M     dataset manifest (data-manifests/*.yaml, or synth-*.yaml from 'anon-impact synth')
  --task T         semseg (Cityscapes train ids, or background + categories), instances, keypoints
  --out RUN_DIR    run folder (created; an existing one resumes)
  --preset P       quick (default; 1 to 15 CPU minutes on the synthetic set; instances: a head on
                   the pretrained encoder), scratch (the quick models without any pretrained
                   weights) or paper (long, GPU)
  --seed S         seed of the initialisation, data order and augmentation (default 0)
  --data DIR       a copy of the dataset in the same layout whose images replace the originals'
                   (e.g. an anonymized copy); annotations are read from the manifest's dataset
  --split NAME     training split (default train)
  --backend B      tfjs backend (default: ANON_IMPACT_BACKEND, else the first that loads of
                   ${BACKENDS.join(', ')})
  --workers N      worker threads computing the gradients (default 1: in this thread); each
                   takes a contiguous share of every batch's images, with its own backend and
                   model copy. The weights depend on N only through float rounding; resume with
                   the same N for bit-identical weights. Faster only with N free cores and
                   enough work per image (docs/train.md); use 1 with tfjs-node(-gpu);
                   webgpu refuses N > 1
  --steps N, --batch-size N, --lr X     override the preset's schedule
  --image-size WxH   images are resized to fit inside WxH (prediction runs at this size)
  --crop-size WxH    training crop (multiples of 32)
  --backbone B     scratch (the from-scratch encoder-decoder) or a pretrained encoder
                   under a trainable head: ${PRETRAINED_ENCODER_NAMES.join(', ')} (CenterNet-
                   MobileNetV3 trained on COCO, which has seen real people; docs/train.md).
                   Default: the preset's (instances quick: ${'centernet-mobilenetv3-coco'}; else scratch)
  --model-width C, --depth D   backbone width and the ResNet depth it stands in for (scratch)
  --decoder-width D  decoder / head channels
  --head-blocks N    3x3 layers of the head on a pretrained encoder
  --fine-tune F      with a pretrained encoder: none (the encoder stays fixed, a head on its
                     features) or decoder (its decoder trains too, from the pretrained weights;
                     the backbone below stays fixed). Default: the preset's (instances quick: decoder)
  --checkpoint-every N         steps between checkpoints
  --pose-crops N     keypoints: person crops per step for the top-down pose stage (preset: 16);
                     0 trains the single-stage model alone (keypoints from its own heads)
  --exclude-categories A,B     train as if these categories were not annotated (their pixels
                               unlabelled, no instances), e.g. person`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    manifest: { type: 'string' },
    task: { type: 'string' },
    out: { type: 'string' },
    preset: { type: 'string' },
    seed: { type: 'string' },
    data: { type: 'string' },
    split: { type: 'string' },
    backend: { type: 'string' },
    workers: { type: 'string' },
    steps: { type: 'string' },
    'batch-size': { type: 'string' },
    lr: { type: 'string' },
    'image-size': { type: 'string' },
    'crop-size': { type: 'string' },
    'model-width': { type: 'string' },
    depth: { type: 'string' },
    backbone: { type: 'string' },
    'decoder-width': { type: 'string' },
    'head-blocks': { type: 'string' },
    'fine-tune': { type: 'string' },
    'checkpoint-every': { type: 'string' },
    'pose-crops': { type: 'string' },
    'exclude-categories': { type: 'string' },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const task = required(values, 'task');
  if (!(TASKS as readonly string[]).includes(task)) throw new Error(`--task must be one of ${TASKS.join(', ')}, got '${task}'`);
  const presetName = values.preset ?? 'quick';
  if (!(PRESET_NAMES as readonly string[]).includes(presetName)) throw new Error(`--preset must be one of ${PRESET_NAMES.join(', ')}, got '${presetName}'`);
  const manifest = await loadManifest(resolve(required(values, 'manifest')));
  const out = required(values, 'out');
  const seed = int(values, 'seed', 0, 0, 2 ** 31 - 1);
  const workers = int(values, 'workers', 1, 1, 64);
  const over: PresetOverrides = {};
  if (values.steps !== undefined) over.steps = int(values, 'steps', 1, 1);
  if (values['batch-size'] !== undefined) over.batchSize = int(values, 'batch-size', 1, 1, 4096);
  if (values.lr !== undefined) over.lr = num(values, 'lr', 0);
  if (values['checkpoint-every'] !== undefined) over.checkpointEvery = int(values, 'checkpoint-every', 1, 1);
  const size = (name: 'image-size' | 'crop-size'): [number, number] | undefined => {
    const v = values[name];
    if (v === undefined) return undefined;
    const m = /^(\d+)x(\d+)$/.exec(v);
    if (!m) throw new Error(`--${name} must be WxH (e.g. 256x128), got '${v}'`);
    return [Number(m[1]), Number(m[2])];
  };
  if (values['image-size'] !== undefined) over.imageSize = size('image-size');
  if (values['crop-size'] !== undefined) over.cropSize = size('crop-size');
  const model: PresetOverrides['model'] = {};
  if (values['model-width'] !== undefined) model.width = int(values, 'model-width', 8, 1, 1024);
  if (values.depth !== undefined) {
    const d = int(values, 'depth', 18);
    if (![18, 50, 101, 152].includes(d)) throw new Error(`--depth must be 18, 50, 101 or 152, got ${d}`);
    model.depth = d as BackboneDepth;
  }
  if (values['decoder-width'] !== undefined) model.decoderWidth = int(values, 'decoder-width', 32, 1, 1024);
  if (values['head-blocks'] !== undefined) model.headBlocks = int(values, 'head-blocks', 2, 0, 16);
  if (values['fine-tune'] !== undefined) {
    const f = values['fine-tune'];
    if (!(FINE_TUNE as readonly string[]).includes(f)) throw new Error(`--fine-tune must be one of ${FINE_TUNE.join(', ')}, got '${f}'`);
    model.fineTune = f as FineTune;
  }
  if (values.backbone !== undefined) {
    const b = values.backbone;
    if (b !== 'scratch' && !(PRETRAINED_ENCODER_NAMES as string[]).includes(b)) throw new Error(`--backbone must be scratch or one of ${PRETRAINED_ENCODER_NAMES.join(', ')}, got '${b}'`);
    model.pretrained = b === 'scratch' ? undefined : (b as PretrainedEncoderName);
    if (b === 'scratch') {
      if (model.fineTune === 'decoder') throw new Error('--fine-tune decoder needs a pretrained encoder, not --backbone scratch');
      model.fineTune = undefined;
    }
  }
  if (Object.keys(model).length) over.model = model;
  if (values['pose-crops'] !== undefined) {
    if (task !== 'keypoints') throw new Error(`--pose-crops is for --task keypoints, not ${task}`);
    over.pose = { batchSize: int(values, 'pose-crops', 16, 0, 4096) };
  }
  const preset = getPreset(presetName, task as Task, over);
  let backendChoice: BackendChoice | undefined;
  if (values.backend !== undefined) {
    if (!(BACKENDS as readonly string[]).includes(values.backend)) throw new Error(`--backend must be one of ${BACKENDS.join(', ')}, got '${values.backend}'`);
    backendChoice = values.backend as BackendChoice;
  }
  const backend = await initBackend({ backend: backendChoice });
  let bar: ReturnType<typeof progress> | undefined;
  const result = await train({
    manifest,
    split: values.split ?? 'train',
    dataDir: values.data,
    task: task as Task,
    excludeCategories: values['exclude-categories'] ? values['exclude-categories'].split(',').map((x) => x.trim()).filter(Boolean) : [],
    preset,
    seed,
    outDir: out,
    backend,
    workers,
    log: (line) => process.stderr.write(line + '\n'),
    onProgress: (p) => {
      bar ??= progress(`train ${task}`, p.steps, 'step');
      bar.update(p.step, { loss: p.loss.toFixed(4), 'img/s': p.imagesPerSec.toFixed(1) });
    },
  });
  bar?.stop();
  console.log(`${result.complete ? 'complete' : 'stopped'}: ${result.outDir} (step ${result.step} of ${result.steps})`);
  return 0;
}
