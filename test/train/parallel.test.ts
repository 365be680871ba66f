// Data parallelism: 2 workers give the update of 1 worker on the same batch (to float rounding,
// also with an uneven split), a fixed worker count and seed give identical bytes, and a tiny
// training run of the U-Net lowers the loss.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { createDataParallel, shardBounds, type Batch } from '../../lib/train/parallel.ts';
import { randomArray, relMaxDiff } from './helpers.ts';

const unet = fileURLToPath(new URL('../../lib/models/unet.ts', import.meta.url));
const factory = { module: unet, export: 'createUnet', options: { width: 0.5 } };

function batch(n: number, h: number, w: number, key: string): Batch {
  const labels = new Int32Array(n * h * w);
  const x = randomArray(n * h * w * 3, key, 0.1);
  // A learnable target: the class is the image's quadrant (0..3), shown by a brightness offset.
  for (let b = 0; b < n; b++)
    for (let r = 0; r < h; r++)
      for (let c = 0; c < w; c++) {
        const cls = (r < h / 2 ? 0 : 2) + (c < w / 2 ? 0 : 1);
        const p = (b * h + r) * w + c;
        labels[p] = cls;
        x[p * 3 + (cls % 3)] += cls === 3 ? -1 : 1;
      }
  labels[7] = 255;
  return { x, shape: [n, h, w, 3], labels };
}

test('shard bounds are contiguous and differ by at most one', () => {
  assert.deepEqual(shardBounds(8, 2), [[0, 4], [4, 8]]);
  assert.deepEqual(shardBounds(3, 2), [[0, 2], [2, 3]]);
  assert.deepEqual(shardBounds(1, 3), [[0, 1], [1, 1], [1, 1]]);
});

test('2 workers = 1 worker; same worker count and seed = same bytes', async () => {
  const b = batch(3, 16, 32, 'dp');
  const run = async (workers: number) => {
    const dp = await createDataParallel({ modelFactory: factory, workers, seed: 5, backend: 'wasm', optimizer: { lr: 1e-2 } });
    try {
      const w0 = dp.getWeights();
      const losses = [(await dp.step(b)).loss, (await dp.step(b)).loss];
      return { w0, losses, w: dp.getWeights(), pixels: (await dp.step(b)).pixels };
    } finally {
      await dp.dispose();
    }
  };
  const one = await run(1);
  const two = await run(2);
  const twoAgain = await run(2);
  assert.deepEqual(one.w0, two.w0, 'same initial weights');
  assert.equal(one.pixels, 3 * 16 * 32 - 1);
  assert.ok(Math.abs(one.losses[0] - two.losses[0]) < 1e-5 * one.losses[0]);
  assert.ok(Math.abs(one.losses[1] - two.losses[1]) < 1e-4 * one.losses[1]);
  let moved = 0;
  for (let i = 0; i < one.w.length; i++) moved = Math.max(moved, Math.abs(one.w[i] - one.w0[i]));
  assert.ok(moved > 1e-3, 'the steps changed the weights');
  assert.ok(relMaxDiff(two.w, one.w) < 1e-4, `2 vs 1 worker: ${relMaxDiff(two.w, one.w)}`);
  assert.deepEqual(twoAgain.w, two.w, 'deterministic');
});

test('a tiny U-Net training run lowers the loss', async () => {
  const b = batch(2, 32, 64, 'train');
  const dp = await createDataParallel({ modelFactory: { module: unet, export: 'createUnet' }, workers: 1, seed: 1, backend: 'wasm', optimizer: { lr: 3e-3 } });
  try {
    const losses: number[] = [];
    for (let s = 0; s < 10; s++) losses.push((await dp.step(b)).loss);
    assert.ok(losses.every(Number.isFinite));
    assert.ok(losses[9] < 0.5 * losses[0], `losses ${losses.map((l) => l.toFixed(3)).join(' ')}`);
  } finally {
    await dp.dispose();
  }
});

test('bad batches and factories are reported clearly', async () => {
  await assert.rejects(
    createDataParallel({ modelFactory: { module: unet, export: 'nope' }, workers: 1, seed: 0, backend: 'cpu' }),
    /worker 0: .*unet\.ts has no function export 'nope'/,
  );
  const dp = await createDataParallel({ modelFactory: factory, workers: 2, seed: 0, backend: 'cpu' });
  try {
    await assert.rejects(dp.step({ x: new Float32Array(10), shape: [1, 2, 2, 3], labels: new Int32Array(4) }), /batch images have 10 values, shape \[1,2,2,3\] needs 12/);
    const labels = new Int32Array(2 * 8 * 8).map((_, i) => i % 20);
    labels[64 + 3] = 99;
    await assert.rejects(dp.step({ x: new Float32Array(2 * 8 * 8 * 3), shape: [2, 8, 8, 3], labels }), /worker 1: label 99 at pixel 3/);
    // The failed step left no worker busy: the next one runs.
    labels[64 + 3] = 3;
    const r = await dp.step({ x: new Float32Array(2 * 8 * 8 * 3), shape: [2, 8, 8, 3], labels });
    assert.equal(r.pixels, 128);
  } finally {
    await dp.dispose();
  }
});
