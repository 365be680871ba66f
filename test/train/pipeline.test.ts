// train -> predict -> eval on a tiny synthetic dataset, for the three tasks: that every stage runs
// and writes files the evaluators accept (the models are far too small and short to be good).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { loadManifest } from '../../lib/data/manifest.ts';
import { decodeImage } from '../../lib/data/image.ts';
import { writeSynthDataset } from '../../lib/data/synth/write.ts';
import { initBackend, type BackendInfo } from '../../lib/nn/runtime/backend.ts';
import { poseCropParams } from '../../lib/train/pose-crops.ts';
import { predict } from '../../lib/train/predict.ts';
import { getPreset, type PresetOverrides } from '../../lib/train/presets.ts';
import { train } from '../../lib/train/trainer.ts';
import type { Task } from '../../lib/models/dense.ts';

const run = promisify(execFile);
const repo = resolve(import.meta.dirname, '..', '..');
let dir: string;
let backend: BackendInfo;

const tiny: PresetOverrides = { steps: 3, batchSize: 2, imageSize: [128, 64], cropSize: [64, 32], model: { width: 4, decoderWidth: 8 }, checkpointEvery: 3, warmupSteps: 1 };

before(async () => {
  backend = await initBackend({ backend: 'wasm', log: false });
  dir = await mkdtemp(join(tmpdir(), 'anon-pipe-'));
  await writeSynthDataset({ out: join(dir, 'data'), train: 3, val: 2, width: 128, height: 64, seed: 4 });
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Runs one printed `node bin/anon-impact.js eval ...` command with --json. */
async function evaluate(cmd: string): Promise<Record<string, unknown>> {
  const args = cmd.split(' ');
  assert.equal(args[0], 'node');
  const { stdout } = await run(process.execPath, [...args.slice(1), '--json'], { cwd: repo });
  return JSON.parse(stdout);
}

async function trainAndPredict(task: Task, manifestFile: string) {
  const manifest = await loadManifest(join(dir, 'data', manifestFile));
  const out = join(dir, `run-${task}`);
  const r = await train({ manifest, task, preset: getPreset('quick', task, tiny), seed: 2, outDir: out, backend });
  assert.equal(r.complete, true);
  return predict({ runDir: out, manifest, outDir: join(dir, `pred-${task}`) });
}

test('semseg: Cityscapes labelIds PNGs that eval cityscapes-pixel reads', async () => {
  const p = await trainAndPredict('semseg', 'synth-cityscapes.yaml');
  const files = (await readdir(p.labelDir!)).sort();
  assert.deepEqual(files, ['synth_000000_000000_labelIds.png', 'synth_000000_000001_labelIds.png']);
  const img = await decodeImage(join(p.labelDir!, files[0]), 1);
  assert.deepEqual([img.width, img.height], [128, 64]);
  const ids = new Set(img.data);
  for (const id of ids) assert.ok([7, 8, 11, 12, 13, 17, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 31, 32, 33].includes(id), `label id ${id}`);
  assert.equal(p.evalCommands.length, 1);
  const res = await evaluate(p.evalCommands[0]);
  assert.equal(typeof res.averageScoreClasses, 'number');
});

test('instances: COCO results (bbox, segm as compressed RLE) against the Cityscapes split as COCO JSON', async () => {
  const p = await trainAndPredict('instances', 'synth-cityscapes.yaml');
  assert.equal(p.gt, join(dir, 'pred-instances', 'gt.json'));
  assert.deepEqual(p.decoding, { flipTest: true, refine: { cells: 2, eps: 1e-5, subsample: 2 } });
  const gt = JSON.parse(await readFile(p.gt!, 'utf8'));
  const results = JSON.parse(await readFile(p.results!, 'utf8')) as Record<string, unknown>[];
  assert.equal(results.length, p.predictions);
  const imageIds = new Set(gt.images.map((i: { id: number }) => i.id));
  const catIds = new Set(gt.categories.map((c: { id: number }) => c.id));
  for (const r of results) {
    assert.ok(imageIds.has(r.image_id));
    assert.ok(catIds.has(r.category_id));
    const seg = r.segmentation as { size: number[]; counts: unknown };
    assert.deepEqual(seg.size, [64, 128]);
    assert.equal(typeof seg.counts, 'string');
    assert.equal((r.bbox as number[]).length, 4);
  }
  assert.deepEqual(p.evalCommands.map((c) => c.split(' ').pop()), ['bbox', 'segm']);
  if (results.length > 0) for (const c of p.evalCommands) assert.equal(((await evaluate(c)).stats as number[]).length, 12);
});

test('keypoints: COCO keypoint results against the COCO manifest\'s own annotations', async () => {
  const p = await trainAndPredict('keypoints', 'synth-coco.yaml');
  assert.equal(p.gt, join(dir, 'data', 'annotations', 'person_keypoints_val.json'));
  const gt = JSON.parse(await readFile(p.gt!, 'utf8'));
  const results = JSON.parse(await readFile(p.results!, 'utf8')) as { image_id: number; keypoints: number[]; score: number; category_id: number }[];
  const imageIds = new Set(gt.images.map((i: { id: number }) => i.id));
  for (const r of results) {
    assert.ok(imageIds.has(r.image_id));
    assert.equal(r.category_id, 1);
    assert.equal(r.keypoints.length, 51);
    assert.ok(r.score >= 0 && r.score <= 1);
  }
  // at most 20 people per image (COCO's keypoint maxDets)
  for (const id of imageIds) assert.ok(results.filter((r) => r.image_id === id).length <= 20);
  assert.deepEqual(p.evalCommands.map((c) => c.split(' ').pop()), ['keypoints']);
  if (results.length > 0) assert.equal(((await evaluate(p.evalCommands[0])).stats as number[]).length, 10);
});

test('keypoints with the pose stage: trained on crops of the labelled people, predicts each person\'s keypoints inside its crop', async () => {
  // 512x256 images of seed 5: 3 people with keypoints in the 2 training images, 2 in the val image
  await writeSynthDataset({ out: join(dir, 'data-kp'), train: 2, val: 1, width: 512, height: 256, seed: 5 });
  const manifest = await loadManifest(join(dir, 'data-kp', 'synth-coco.yaml'));
  const out = join(dir, 'run-pose');
  const preset = getPreset('quick', 'keypoints', { ...tiny, imageSize: [256, 128], cropSize: [64, 64], pose: { batchSize: 4, model: { width: 4, decoderWidth: 8 } } });
  const r = await train({ manifest, task: 'keypoints', preset, seed: 2, outDir: out, backend });
  assert.equal(r.complete, true);
  const run = JSON.parse(await readFile(join(out, 'run.json'), 'utf8'));
  const { keypointBox, ...poseModel } = run.model.pose;
  assert.deepEqual(poseModel, preset.pose!.model);
  // the box-from-keypoints ratios, measured on the training split's 3 people
  assert.equal(keypointBox.people, 3);
  assert.ok(keypointBox.height > 1 && keypointBox.height < 1.5, JSON.stringify(keypointBox));
  const log = (await readFile(join(out, 'log.csv'), 'utf8')).trim().split('\n');
  const col = log[0].split(',').indexOf('pose');
  assert.ok(col > 0, log[0]);
  // every step's two images are the training set, with people: the pose term is there every step
  for (const row of log.slice(1)) assert.ok(Number(row.split(',')[col]) > 0, row);
  // no re-cropping: every keypoint lies in the crop of the first stage's box
  const p = await predict({ runDir: out, manifest, outDir: join(dir, 'pred-pose'), keypoints: { threshold: 0 }, poseIterations: 0 });
  const results = JSON.parse(await readFile(p.results!, 'utf8')) as { keypoints: number[]; bbox: [number, number, number, number] }[];
  assert.equal(results.length, 20, 'threshold 0: the 20 best centres');
  for (const res of results) {
    // the crop of the person's box at the base size (half the original size)
    const c = poseCropParams(res.bbox.map((v) => v / 2) as [number, number, number, number], preset.pose!.model.inputSize, preset.pose!.model.expand);
    const [x0, y0, w, h] = [c.offsetX / c.scale, c.offsetY / c.scale, 32 / c.scale, 64 / c.scale].map((v) => 2 * v);
    for (let j = 0; j < 17; j++) {
      const [x, y] = res.keypoints.slice(3 * j, 3 * j + 2);
      assert.ok(x >= x0 - 0.01 && x <= x0 + w + 0.01 && y >= y0 - 0.01 && y <= y0 + h + 0.01, `keypoint ${j} (${x}, ${y}) outside the crop [${x0}, ${y0}, ${w}, ${h}]`);
    }
  }
  assert.equal(((await evaluate(p.evalCommands[0])).stats as number[]).length, 10);
  // the default, two re-croppings, gives as many people
  const p2 = await predict({ runDir: out, manifest, outDir: join(dir, 'pred-pose-2'), keypoints: { threshold: 0 } });
  assert.equal(p2.predictions, 20);
  await assert.rejects(predict({ runDir: out, manifest, outDir: join(dir, 'pred-pose-3'), poseIterations: -1 }), /poseIterations must be an integer >= 0, got -1/);
});

test('predict refuses an unfinished run and a dataset with other classes', async () => {
  const manifest = await loadManifest(join(dir, 'data', 'synth-cityscapes.yaml'));
  const out = join(dir, 'run-unfinished');
  await train({ manifest, task: 'semseg', preset: getPreset('quick', 'semseg', tiny), seed: 2, outDir: out, backend, stopAfter: 1 });
  await assert.rejects(predict({ runDir: out, manifest, outDir: join(dir, 'pred-x') }), /not complete \(step 1 of 3\)/);
  const coco = await loadManifest(join(dir, 'data', 'synth-coco.yaml'));
  await assert.rejects(predict({ runDir: join(dir, 'run-semseg'), manifest: coco, outDir: join(dir, 'pred-y') }), /the run was trained on/);
});
