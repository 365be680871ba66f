// Data parallelism of the task models: the shards' gradients with the whole batch's normalisers
// add up to the batch's gradient (semseg, instances, keypoints); worker threads give the
// in-thread gradients, also with idle workers; a 2-worker training run stays close to a 1-worker
// run, and a 2-worker run stopped and resumed ends with the same bytes as an uninterrupted one.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { loadManifest, type Manifest } from '../../lib/data/manifest.ts';
import { readSplit } from '../../lib/data/open.ts';
import { writeSynthDataset } from '../../lib/data/synth/write.ts';
import { createTaskModel } from '../../lib/models/create.ts';
import type { DenseModel, Task } from '../../lib/models/dense.ts';
import { initBackend, type BackendInfo } from '../../lib/nn/runtime/backend.ts';
import type { Batch } from '../../lib/train/batch.ts';
import { readCheckpoint } from '../../lib/train/checkpoint.ts';
import { classSpec } from '../../lib/train/classes.ts';
import { SampleSource } from '../../lib/train/loader.ts';
import { getPreset, type Preset, type PresetOverrides } from '../../lib/train/presets.ts';
import { computeGradients, taskNorms } from '../../lib/train/task-gradients.ts';
import { createTaskParallel, shardOfBatch, shardsOf } from '../../lib/train/task-parallel.ts';
import { buildBatch, modelConfigFor, train } from '../../lib/train/trainer.ts';
import { shardBounds } from '../../lib/train/worker-pool.ts';
import { InitRng } from '../../lib/nn/init.ts';
import { randomArray, relMaxDiff } from './helpers.ts';

let dir: string;
let backend: BackendInfo;
const manifests: Partial<Record<string, Manifest>> = {};

const tiny: PresetOverrides = {
  batchSize: 3,
  imageSize: [128, 64],
  cropSize: [64, 32],
  model: { width: 4, decoderWidth: 8 },
  warmupSteps: 1,
};

before(async () => {
  backend = await initBackend({ backend: 'wasm', log: false });
  dir = await mkdtemp(join(tmpdir(), 'anon-task-par-'));
  await writeSynthDataset({ out: join(dir, 'data'), train: 4, val: 1, width: 128, height: 64, seed: 3 });
  manifests.cityscapes = await loadManifest(join(dir, 'data', 'synth-cityscapes.yaml'));
  manifests.coco = await loadManifest(join(dir, 'data', 'synth-coco.yaml'));
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const manifestOf = (task: Task) => manifests[task === 'keypoints' ? 'coco' : 'cityscapes']!;

/**
 * A keypoints batch of random targets in the trainer's layout ([N,h,w,C] at stride 4), with
 * positives and weights that differ between images (the synthetic people of an image small enough
 * for a fast test carry no labelled keypoints, so the data pipeline would give none).
 */
function randomKeypointsBatch(n: number, H: number, W: number, key: string): Batch {
  const rng = new InitRng(key);
  const h = H / 4;
  const w = W / 4;
  const P = n * h * w;
  const uniform = (size: number, scale = 0.9) => Float32Array.from({ length: size }, () => rng.uniformOpen() * scale);
  const mask = (size: number, p: (i: number) => number) => Float32Array.from({ length: size }, (_, i) => (rng.uniformOpen() < p(i) ? 1 : 0));
  const image = (i: number, per: number) => Math.floor(i / (h * w * per));
  const center = uniform(P);
  const keypoints = uniform(P * 17);
  for (let b = 0; b < n; b++) {
    for (let j = 0; j <= b; j++) center[b * h * w + ((rng.u32() % (h * w)) | 0)] = 1;
    for (let j = 0; j < 3 * (b + 1); j++) keypoints[b * h * w * 17 + ((rng.u32() % (h * w * 17)) | 0)] = 1;
  }
  const labels = Int32Array.from({ length: P }, () => {
    const u = rng.uniformOpen();
    return u < 0.1 ? 255 : u < 0.4 ? 1 : 0;
  });
  return {
    n,
    width: W,
    height: H,
    input: randomArray(n * H * W * 3, `${key}-x`),
    targets: {
      n,
      width: w,
      height: h,
      labels,
      center,
      centerWeight: mask(P, () => 0.9),
      keypoints,
      keypointWeight: mask(P, () => 0.9),
      offsets: randomArray(P * 34, `${key}-o`),
      offsetsWeight: mask(P * 34, (i) => (image(i, 34) + 1) / (n + 2)),
      size: randomArray(P * 2, `${key}-s`),
      sizeWeight: mask(P, (i) => (image(i, 1) + 1) / (n + 2)),
      local: uniform(P * 2, 1),
      localWeight: mask(P, (i) => (image(i, 1) + 1) / (n + 2)),
    },
    pose: randomPoseBatch(2 * n + 1, rng),
  };
}

/** `n` random 32x64 person crops and 16x32 heatmaps with a few positives each. */
function randomPoseBatch(n: number, rng: InitRng): NonNullable<Batch['pose']> {
  const per = 16 * 32 * 17;
  const heatmaps = Float32Array.from({ length: n * per }, () => {
    const u = rng.uniformOpen();
    return u < 0.1 ? 9 * u : 0;
  });
  for (let i = 0; i < n; i++) for (let j = 0; j <= i % 4; j++) heatmaps[i * per + ((rng.u32() % per) | 0)] = 1;
  return { n, width: 32, height: 64, outWidth: 16, outHeight: 32, input: Float32Array.from({ length: n * 64 * 32 * 3 }, () => rng.normal()), heatmaps };
}

/** With a small pose stage, whose crops are shared out among the workers too. */
const keypointsConfig = { task: 'keypoints' as const, seed: 7, width: 4, decoderWidth: 8, outputStride: 4, pose: { width: 4, decoderWidth: 8, outputStride: 2, inputSize: [32, 64] as [number, number], expand: 1.25 } };

/** A model of `task` and the batch of step `step` as the trainer builds them. */
async function setup(task: Task, preset: Preset, step: number): Promise<{ model: DenseModel; config: ReturnType<typeof modelConfigFor>; batch: Batch; classWeights?: Float32Array }> {
  const ds = await readSplit(manifestOf(task), 'train');
  const classes = classSpec(ds, task);
  const config = modelConfigFor(task, preset, classes, 7);
  const model = createTaskModel(config);
  const source = new SampleSource(ds, { task, classes, size: preset.imageSize });
  const batch = await buildBatch(source, model, preset, 7, step);
  // Unequal class weights, so that the weighted cross-entropy's normaliser matters.
  const classWeights = task === 'keypoints' ? undefined : Float32Array.from(classes.names, (_, i) => 0.5 + ((i * 7) % 5) / 4);
  return { model, config, batch, classWeights };
}

/** Loss, parts and flat gradient, summed over the batch's shards for `k` workers (own norms or the batch's). */
async function shardedGradients(model: DenseModel, batch: Batch, preset: Preset, classWeights: Float32Array | undefined, k: number, wholeNorms: boolean) {
  const norms = taskNorms(model, batch, preset, classWeights);
  let loss = 0;
  const parts: Record<string, number> = {};
  let grads: Float32Array[] | undefined;
  for (const shard of shardsOf(batch, k)) {
    if (!shard) continue;
    const r = await computeGradients(model, shard, preset, classWeights, wholeNorms ? norms : undefined);
    loss += r.loss;
    for (const [k, v] of Object.entries(r.parts)) parts[k] = (parts[k] ?? 0) + v;
    const g = r.grads.map((t) => t.dataSync() as Float32Array);
    grads = grads ? grads.map((s, i) => s.map((x, j) => x + g[i][j])) : g.map((x) => x.slice());
    for (const t of r.grads) t.dispose();
  }
  return { loss, parts, grads: grads! };
}

async function wholeGradients(model: DenseModel, batch: Batch, preset: Preset, classWeights?: Float32Array) {
  const r = await computeGradients(model, batch, preset, classWeights);
  const grads = r.grads.map((t) => (t.dataSync() as Float32Array).slice());
  for (const t of r.grads) t.dispose();
  return { loss: r.loss, parts: r.parts, grads };
}

const flat = (gs: Float32Array[]) => {
  const out = new Float32Array(gs.reduce((s, g) => s + g.length, 0));
  let o = 0;
  for (const g of gs) {
    out.set(g, o);
    o += g.length;
  }
  return out;
};

test('a batch cut into shards and put back together is the batch', async () => {
  const { model, batch } = await setup('instances', getPreset('quick', 'instances', tiny), 0);
  model.dispose();
  const shards = shardBounds(batch.n, 2).map(([a, b]) => shardOfBatch(batch, a, b));
  assert.deepEqual(shards.map((s) => s.n), [2, 1]);
  assert.deepEqual(flat(shards.map((s) => s.input)), batch.input);
  for (const k of ['labels', 'center', 'centerWeight', 'offset', 'offsetWeight', 'box', 'boxWeight'] as const) {
    const parts = shards.map((s) => s.targets[k]!);
    const whole = batch.targets[k]!;
    assert.equal(parts[0].length + parts[1].length, whole.length, k);
    assert.deepEqual([...parts[0], ...parts[1]], [...whole], k);
  }
  assert.deepEqual(shardOfBatch(batch, 1, 1).input.length, 0);
  assert.throws(() => shardOfBatch(batch, 2, 4), /shard \[2, 4\) of a batch of 3/);
});

test('pose crops are shared out among the workers that have images', () => {
  const batch = randomKeypointsBatch(2, 32, 64, 'kp-cut');
  const pose = batch.pose!;
  assert.equal(pose.n, 5);
  const shards = shardsOf(batch, 3);
  assert.equal(shards[2], undefined, 'the third worker has no image');
  const parts = shards.slice(0, 2).map((s) => s!.pose!);
  assert.deepEqual(parts.map((p) => p.n), [3, 2]);
  assert.deepEqual([...parts[0].input, ...parts[1].input], [...pose.input]);
  assert.deepEqual([...parts[0].heatmaps, ...parts[1].heatmaps], [...pose.heatmaps]);
  assert.equal(shardOfBatch(batch, 0, 1).pose, undefined, 'no share asked: no crops');
  assert.throws(() => shardOfBatch(batch, 0, 1, [4, 6]), /pose shard \[4, 6\) of 5 crops/);
});

for (const task of ['semseg', 'instances', 'keypoints'] as const) {
  test(`${task}: the shards' gradients with the whole batch's norms add up to the batch's gradient`, async () => {
    const preset = getPreset('quick', task, tiny);
    const { model, batch, classWeights } = task === 'keypoints' ? { model: createTaskModel(keypointsConfig), batch: randomKeypointsBatch(3, 32, 64, 'kp-sum'), classWeights: undefined } : await setup(task, preset, 1);
    try {
      // float32 sums: the pose heatmaps' tens of thousands of small negative terms are absorbed
      // differently by sums of different lengths (about 2e-5 of the loss)
      const tol = 1e-4;
      const whole = await wholeGradients(model, batch, preset, classWeights);
      assert.ok(Number.isFinite(whole.loss) && whole.loss > 0);
      const norms = taskNorms(model, batch, preset, classWeights);
      for (const k of [2, 3]) {
        const s = await shardedGradients(model, batch, preset, classWeights, k, true);
        assert.ok(Math.abs(s.loss - whole.loss) <= tol * whole.loss, `${k} shards: loss ${s.loss} vs ${whole.loss}`);
        for (const [name, v] of Object.entries(whole.parts)) assert.ok(Math.abs(s.parts[name] - v) <= tol * Math.abs(v) + 1e-7, `${k} shards: ${name} ${s.parts[name]} vs ${v}`);
        for (const [i, g] of whole.grads.entries()) assert.ok(relMaxDiff(s.grads[i], g) < 1e-4, `${k} shards: ${model.params[i].name}: ${relMaxDiff(s.grads[i], g)}`);
      }
      // The test tells: each shard normalised by its own counts is another loss.
      const own = await shardedGradients(model, batch, preset, classWeights, 3, false);
      assert.ok(Math.abs(own.loss - whole.loss) > 1e-3 * whole.loss, `own norms: ${own.loss} vs ${whole.loss} (norms ${JSON.stringify(norms)})`);
    } finally {
      model.dispose();
    }
  });
}

test('worker threads give the in-thread gradients, also with an idle worker (3 workers, 2 images)', async () => {
  const preset = getPreset('quick', 'keypoints', tiny);
  const model = createTaskModel(keypointsConfig);
  const batch = randomKeypointsBatch(2, 32, 64, 'kp-workers');
  const par = await createTaskParallel({ workers: 3, model, modelConfig: keypointsConfig, preset, backend });
  try {
    const whole = await wholeGradients(model, batch, preset);
    const r = await par.gradients(batch);
    const g = r.grads.map((t) => (t.dataSync() as Float32Array).slice());
    for (const t of r.grads) t.dispose();
    assert.ok(Math.abs(r.loss - whole.loss) <= 1e-4 * whole.loss, `loss ${r.loss} vs ${whole.loss}`);
    assert.deepEqual(Object.keys(r.parts).sort(), Object.keys(whole.parts).sort());
    for (const [i, w] of whole.grads.entries()) assert.ok(relMaxDiff(g[i], w) < 1e-4, `${model.params[i].name}: ${relMaxDiff(g[i], w)}`);
    // After an update of the main model, published weights give the workers the new gradients.
    tf.tidy(() => model.params.forEach((p) => p.variable.assign(tf.mul(p.variable, 0.9))));
    par.publish();
    const whole2 = await wholeGradients(model, batch, preset);
    const r2 = await par.gradients(batch);
    for (const t of r2.grads) t.dispose();
    assert.ok(Math.abs(r2.loss - whole2.loss) <= 1e-4 * whole2.loss, `after publish: loss ${r2.loss} vs ${whole2.loss}`);
    assert.ok(Math.abs(whole2.loss - whole.loss) > 1e-4 * whole.loss, 'the weights changed the loss');
  } finally {
    await par.dispose();
    model.dispose();
  }
});

test('bootstrapped cross-entropy is refused with workers', async () => {
  const preset = getPreset('quick', 'semseg', { ...tiny, semanticTopK: 0.25 });
  const model = createTaskModel({ task: 'semseg', seed: 0, width: 4, decoderWidth: 8, numClasses: 3 });
  try {
    await assert.rejects(
      createTaskParallel({ workers: 2, model, modelConfig: { task: 'semseg', seed: 0, width: 4, decoderWidth: 8, numClasses: 3 }, preset, backend }),
      /semanticTopK 0.25 < 1 \(bootstrapped cross-entropy\) .* train it with one worker/,
    );
  } finally {
    model.dispose();
  }
});

async function weightsOf(runDir: string): Promise<Map<string, Float32Array>> {
  return (await readCheckpoint(join(runDir, 'checkpoint.bin'))).arrays;
}

test('2 workers train like 1; a 2-worker run stopped and resumed ends with the same bytes; another worker count may resume', async () => {
  const preset = getPreset('quick', 'instances', { ...tiny, steps: 4, checkpointEvery: 2 });
  const manifest = manifests.cityscapes!;
  const common = { manifest, task: 'instances' as const, preset, seed: 5, backend };
  const one = join(dir, 'w1');
  const two = join(dir, 'w2');
  const resumed = join(dir, 'w2-resumed');
  const mixed = join(dir, 'w2-then-1');
  await train({ ...common, outDir: one, workers: 1 });
  await train({ ...common, outDir: two, workers: 2 });
  const w1 = await weightsOf(one);
  const w2 = await weightsOf(two);
  for (const [k, v] of w1) {
    if (!k.startsWith('param/')) continue;
    assert.ok(relMaxDiff(w2.get(k)!, v) < 1e-4, `${k}: 2 vs 1 worker ${relMaxDiff(w2.get(k)!, v)}`);
  }
  const log = async (d: string) => (await readFile(join(d, 'log.csv'), 'utf8')).trim().split('\n').slice(1).map((l) => Number(l.split(',')[1]));
  const l1 = await log(one);
  const l2 = await log(two);
  assert.equal(l2.length, 4);
  for (const [i, v] of l1.entries()) assert.ok(Math.abs(l2[i] - v) <= 1e-4 * v, `step ${i + 1}: loss ${l2[i]} vs ${v}`);
  const run2 = JSON.parse(await readFile(join(two, 'run.json'), 'utf8'));
  assert.equal(run2.workers, 2);
  assert.equal(run2.sessions[0].workers, 2);

  // stopped after 3 steps (between the checkpoints at 2 and 4), then run again
  const stopped = await train({ ...common, outDir: resumed, workers: 2, stopAfter: 3 });
  assert.equal(stopped.step, 3);
  const done = await train({ ...common, outDir: resumed, workers: 2 });
  assert.equal(done.startStep, 3);
  assert.equal(done.complete, true);
  const a = await readCheckpoint(join(two, 'checkpoint.bin'));
  const b = await readCheckpoint(join(resumed, 'checkpoint.bin'));
  assert.equal(b.header.sha256, a.header.sha256);
  for (const [k, v] of a.arrays) assert.deepEqual(b.arrays.get(k), v, k);

  // resuming with another worker count is allowed (equal to float rounding only)
  await train({ ...common, outDir: mixed, workers: 2, stopAfter: 2 });
  const m = await train({ ...common, outDir: mixed, workers: 1 });
  assert.equal(m.complete, true);
  const runM = JSON.parse(await readFile(join(mixed, 'run.json'), 'utf8'));
  assert.equal(runM.workers, 1);
  assert.deepEqual(
    runM.sessions.map((s: { workers: number }) => s.workers),
    [2, 1],
  );
  const wm = await weightsOf(mixed);
  for (const [k, v] of w2) if (k.startsWith('param/')) assert.ok(relMaxDiff(wm.get(k)!, v) < 1e-4, `${k}: resumed with 1 worker ${relMaxDiff(wm.get(k)!, v)}`);
});
