import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadManifest, type Manifest } from '../../lib/data/manifest.ts';
import { writeSynthDataset } from '../../lib/data/synth/write.ts';
import { initBackend, type BackendInfo } from '../../lib/nn/runtime/backend.ts';
import { readCheckpoint } from '../../lib/train/checkpoint.ts';
import { getPreset, type PresetOverrides } from '../../lib/train/presets.ts';
import { train } from '../../lib/train/trainer.ts';

let dir: string;
let manifest: Manifest;
let backend: BackendInfo;

const tiny: PresetOverrides = {
  steps: 6,
  batchSize: 2,
  imageSize: [128, 64],
  cropSize: [64, 32],
  model: { width: 4, decoderWidth: 8 },
  checkpointEvery: 2,
  warmupSteps: 1,
};

before(async () => {
  backend = await initBackend({ backend: 'wasm', log: false });
  dir = await mkdtemp(join(tmpdir(), 'anon-train-'));
  await writeSynthDataset({ out: join(dir, 'data'), train: 4, val: 2, width: 128, height: 64, seed: 3 });
  manifest = await loadManifest(join(dir, 'data', 'synth-cityscapes.yaml'));
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const lossColumn = (csv: string) =>
  csv
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(',').slice(0, 2).join(','));

test('a run stopped and resumed ends with the same weights, optimizer state and losses as an uninterrupted one', async () => {
  const preset = getPreset('quick', 'instances', tiny);
  const a = join(dir, 'run-a');
  const b = join(dir, 'run-b');
  const ra = await train({ manifest, task: 'instances', preset, seed: 5, outDir: a, backend });
  assert.equal(ra.complete, true);
  // stop after 3 steps (between checkpoints at 2 and 4), then run again
  const rb1 = await train({ manifest, task: 'instances', preset, seed: 5, outDir: b, backend, stopAfter: 3 });
  assert.equal(rb1.complete, false);
  assert.equal(rb1.step, 3);
  assert.equal(JSON.parse(await readFile(join(b, 'run.json'), 'utf8')).status, 'running');
  const rb2 = await train({ manifest, task: 'instances', preset, seed: 5, outDir: b, backend });
  assert.equal(rb2.startStep, 3);
  assert.equal(rb2.complete, true);
  const ca = await readCheckpoint(join(a, 'checkpoint.bin'));
  const cb = await readCheckpoint(join(b, 'checkpoint.bin'));
  assert.equal(cb.header.step, 6);
  assert.equal(cb.header.optimizerT, 6);
  assert.equal(cb.header.sha256, ca.header.sha256);
  for (const [k, v] of ca.arrays) assert.deepEqual(cb.arrays.get(k), v, k);
  assert.deepEqual(lossColumn(await readFile(join(b, 'log.csv'), 'utf8')), lossColumn(await readFile(join(a, 'log.csv'), 'utf8')));
  const run = JSON.parse(await readFile(join(b, 'run.json'), 'utf8'));
  assert.equal(run.status, 'complete');
  // the quick instances model is a head on the CenterNet-MobileNetV3 encoder with its decoder
  // fine-tuned: run.json says whose weights and which were trained; the checkpoint holds the decoder's
  assert.equal(run.pretrained.name, 'centernet-mobilenetv3-coco');
  assert.match(run.pretrained.origin, /@vladmandic\/human/);
  assert.equal(run.pretrained.fineTune, 'decoder');
  assert.equal(run.model.pretrained, 'centernet-mobilenetv3-coco');
  assert.equal(run.model.fineTune, 'decoder');
  assert.ok(cb.arrays.has('param/encoder.tower_0/CenternetHead/c2_reverse/1x1/Conv2D_weights'));
  assert.equal(run.seed, 5);
  assert.equal(run.sessions.length, 2);
  assert.equal(run.backend.name, 'wasm');
  assert.ok(run.versions.tfjs && run.versions.node);
  // running a finished run again changes nothing
  const again = await train({ manifest, task: 'instances', preset, seed: 5, outDir: b, backend });
  assert.equal(again.startStep, 6);
  assert.equal(again.complete, true);
  // another run's parameters in the same folder are refused
  await assert.rejects(train({ manifest, task: 'instances', preset, seed: 6, outDir: b, backend }), /different run \(differs in seed/);
});

test('the loss falls on a tiny run', async () => {
  const preset = getPreset('quick', 'semseg', { ...tiny, steps: 40, checkpointEvery: 40, lr: 5e-3, warmupSteps: 2, model: { width: 8, decoderWidth: 16 }, classWeighting: 'none', augment: { scaleMin: 1, scaleMax: 1, flip: false } });
  const losses: number[] = [];
  await train({ manifest, task: 'semseg', preset, seed: 1, outDir: join(dir, 'run-loss'), backend, onProgress: (p) => losses.push(p.loss) });
  assert.equal(losses.length, 40);
  const mean = (a: number[]) => a.reduce((s, x) => s + x, 0) / a.length;
  const first = mean(losses.slice(0, 5));
  const last = mean(losses.slice(-5));
  assert.ok(last < 0.7 * first, `loss ${first.toFixed(3)} -> ${last.toFixed(3)}`);
});

test('keypoints with the pose stage: stopped and resumed, the same bytes as uninterrupted (both stages and their crops)', async () => {
  // 512x256 images of seed 5: people with keypoints in both training images
  await writeSynthDataset({ out: join(dir, 'data-kp'), train: 2, val: 1, width: 512, height: 256, seed: 5 });
  const kpManifest = await loadManifest(join(dir, 'data-kp', 'synth-coco.yaml'));
  const preset = getPreset('quick', 'keypoints', { ...tiny, imageSize: [256, 128], cropSize: [64, 64], pose: { batchSize: 3, model: { width: 4, decoderWidth: 8 } } });
  const a = join(dir, 'kp-a');
  const b = join(dir, 'kp-b');
  await train({ manifest: kpManifest, task: 'keypoints', preset, seed: 5, outDir: a, backend });
  await train({ manifest: kpManifest, task: 'keypoints', preset, seed: 5, outDir: b, backend, stopAfter: 3 });
  const rb = await train({ manifest: kpManifest, task: 'keypoints', preset, seed: 5, outDir: b, backend });
  assert.equal(rb.startStep, 3);
  const ca = await readCheckpoint(join(a, 'checkpoint.bin'));
  const cb = await readCheckpoint(join(b, 'checkpoint.bin'));
  assert.ok([...ca.arrays.keys()].some((k) => k.includes('pose.')), 'the pose stage is checkpointed');
  assert.equal(cb.header.sha256, ca.header.sha256);
  for (const [k, v] of ca.arrays) assert.deepEqual(cb.arrays.get(k), v, k);
  const full = (csv: string) => csv.trim().split('\n').map((l) => l.split(',').slice(0, -1).filter((_, i) => i !== 2).join(','));
  // every column but images_per_s and elapsed_s, the pose term included
  assert.deepEqual(full(await readFile(join(b, 'log.csv'), 'utf8')), full(await readFile(join(a, 'log.csv'), 'utf8')));
  assert.match((await readFile(join(a, 'log.csv'), 'utf8')).split('\n')[0], /,semantic,pose,elapsed_s$/);
});
