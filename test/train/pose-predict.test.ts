import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { boxFromKeypoints } from '../../lib/models/keypoint-box.ts';
import type { PoseNet } from '../../lib/models/pose.ts';
import { cropToBase, poseCropParams } from '../../lib/train/pose-crops.ts';
import type { BaseSample } from '../../lib/train/loader.ts';
import { poseKeypoints } from '../../lib/train/pose-predict.ts';

/** A pose "network" whose heatmaps peak, for every crop, at cell (j mod 16, j) of keypoint j, and that records the crops it was given. */
function stubNet(seen: number[][], keypointBox?: PoseNet['config']['keypointBox']): PoseNet {
  return {
    inputSize: [32, 64],
    outputStride: 2,
    expand: 1.25,
    params: [],
    config: { keypointBox } as PoseNet['config'],
    apply(x: tf.Tensor4D) {
      seen.push([...x.shape]);
      const n = x.shape[0];
      const z = new Float32Array(n * 32 * 16 * 17).fill(-10);
      for (let i = 0; i < n; i++) for (let j = 0; j < 17; j++) z[i * 32 * 16 * 17 + (j * 16 + (j % 16)) * 17 + j] = 2;
      return tf.tensor4d(z, [n, 32, 16, 17]);
    },
    dispose() {},
  };
}

test('poseKeypoints: heatmap cells mapped back through each box crop to base-size coordinates', async () => {
  const base = { width: 64, height: 48, image: new Uint8Array(64 * 48 * 3), instanceMap: new Int32Array(64 * 48).fill(-1), instances: [] } as unknown as BaseSample;
  const seen: number[][] = [];
  const boxes: [number, number, number, number][] = [
    [10, 4, 12, 24], // enlarged to 15 x 30 at (8.5, 1): scale 64 / 30
    [30, 10, 30, 15], // 37.5 x 18.75, heightened to 37.5 x 75 at (26.25, -20): scale 64 / 75
  ];
  const [a, b] = await poseKeypoints(stubNet(seen), base, boxes);
  assert.deepEqual(seen, [[2, 64, 32, 3]], 'one batch of both crops');
  const expect = (j: number, x0: number, y0: number, s: number) => [x0 + ((j % 16) + 0.5) * 2 / s, y0 + (j + 0.5) * 2 / s];
  for (const j of [0, 3, 16]) {
    const [ex, ey] = expect(j, 8.5, 1, 64 / 30);
    assert.ok(Math.abs(a[3 * j] - ex) < 1e-4 && Math.abs(a[3 * j + 1] - ey) < 1e-4, `box 1, keypoint ${j}: (${a[3 * j]}, ${a[3 * j + 1]}) vs (${ex}, ${ey})`);
    assert.ok(Math.abs(a[3 * j + 2] - 1 / (1 + Math.exp(-2))) < 1e-6, 'score: the heatmap maximum');
    const [fx, fy] = expect(j, 26.25, -20, 64 / 75);
    assert.ok(Math.abs(b[3 * j] - fx) < 1e-4 && Math.abs(b[3 * j + 1] - fy) < 1e-4, `box 2, keypoint ${j}`);
  }
  assert.deepEqual(await poseKeypoints(stubNet(seen), base, []), []);
  assert.equal(seen.length, 1, 'no boxes: the network does not run');
});

test('poseKeypoints with iterations: each person cropped again around the box its keypoints imply', async () => {
  const base = { width: 64, height: 48, image: new Uint8Array(64 * 48 * 3), instanceMap: new Int32Array(64 * 48).fill(-1), instances: [] } as unknown as BaseSample;
  const r = { height: 1.1, width: 1.3, dx: 0, dy: -0.02, people: 5 };
  const box: [number, number, number, number] = [10, 4, 12, 24];
  const seen: number[][] = [];
  const once = await poseKeypoints(stubNet(seen, r), base, [box]);
  const twice = await poseKeypoints(stubNet(seen, r), base, [box], 1);
  assert.deepEqual(seen.map((s) => s[0]), [1, 1, 1], 'one pass, then two');
  // the second pass reads the crop of the box implied by the first pass's keypoints
  const next = boxFromKeypoints(once[0], r, 0.1)!;
  const p = poseCropParams(next, [32, 64], 1.25);
  for (const j of [0, 8, 15]) {
    const [ex, ey] = cropToBase(((j % 16) + 0.5) * 2, (j + 0.5) * 2, p, 32);
    assert.ok(Math.abs(twice[0][3 * j] - ex) < 1e-4 && Math.abs(twice[0][3 * j + 1] - ey) < 1e-4, `keypoint ${j}`);
  }
  assert.ok(Math.abs(twice[0][0] - once[0][0]) > 0.1, 'the box moved');
  // without ratios there is nothing to re-crop with: one pass whatever the iterations
  const plain = await poseKeypoints(stubNet(seen), base, [box], 3);
  assert.deepEqual(plain[0], once[0]);
  assert.equal(seen.length, 4);
});

test('poseKeypoints with the flip test: mirrored crops\' heatmaps mirrored back, left and right swapped, and averaged', async () => {
  const base = { width: 64, height: 48, image: new Uint8Array(64 * 48 * 3), instanceMap: new Int32Array(64 * 48).fill(-1), instances: [] } as unknown as BaseSample;
  const FLIP = [0, 2, 1, 4, 3, 6, 5, 8, 7, 10, 9, 12, 11, 14, 13, 16, 15];
  /** Plain crops: keypoint j at cell (3 + (j % 4), j); mirrored crops (the second half): where a consistent network would put them, or nowhere. */
  const net = (consistent: boolean, shapes: number[][], flipped = true): PoseNet => ({
    inputSize: [32, 64],
    outputStride: 2,
    expand: 1.25,
    params: [],
    config: {} as PoseNet['config'],
    apply(x: tf.Tensor4D) {
      shapes.push([...x.shape]);
      const n = x.shape[0];
      const z = new Float32Array(n * 32 * 16 * 17).fill(-10);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < 17; j++) {
          const cell = (cx: number, ch: number) => i * 32 * 16 * 17 + (j * 16 + cx) * 17 + ch;
          if (i < (flipped ? n / 2 : n)) z[cell(3 + (j % 4), j)] = 2;
          else if (consistent) z[cell(15 - (3 + (j % 4)), FLIP[j])] = 2;
        }
      }
      return tf.tensor4d(z, [n, 32, 16, 17]);
    },
    dispose() {},
  });
  const boxes: [number, number, number, number][] = [[10, 4, 12, 24], [30, 10, 8, 20]];
  const seen: number[][] = [];
  const plain = await poseKeypoints(net(true, [], false), base, boxes);
  const both = await poseKeypoints(net(true, seen), base, boxes, 0, true);
  assert.deepEqual(seen, [[4, 64, 32, 3]], 'the two crops and their mirror images in one batch');
  // consistent mirrored heatmaps land on the plain ones: the same keypoints and scores
  for (let i = 0; i < 2; i++) for (let k = 0; k < 51; k++) assert.ok(Math.abs(both[i][k] - plain[i][k]) < 1e-5, `box ${i}, value ${k}: ${both[i][k]} vs ${plain[i][k]}`);
  // mirrored heatmaps that see nothing halve the peaks
  const half = await poseKeypoints(net(false, []), base, boxes, 0, true);
  const s = 1 / (1 + Math.exp(-2));
  const t = 1 / (1 + Math.exp(10));
  for (let j = 0; j < 17; j++) assert.ok(Math.abs(half[0][3 * j + 2] - (s + t) / 2) < 1e-6 && Math.abs(half[0][3 * j] - plain[0][3 * j]) < 1e-5, `keypoint ${j}`);
});
