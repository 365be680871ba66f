import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodePose } from '../../lib/models/decode-pose.ts';

const W = 6;
const H = 5;
const heat = () => new Float32Array(W * H * 17);
const set = (m: Float32Array, x: number, y: number, j: number, v: number) => {
  m[(y * W + x) * 17 + j] = v;
};

test('decodePose: the maximum, a quarter pixel towards the higher neighbour on each axis', () => {
  const m = heat();
  set(m, 3, 2, 0, 0.9);
  set(m, 4, 2, 0, 0.5); // right neighbour higher than left (0): +0.25 in x
  set(m, 3, 1, 0, 0.2); // upper neighbour higher than lower (0): -0.25 in y
  set(m, 2, 3, 1, 0.7); // equal neighbours (all 0): no shift
  const kp = decodePose(m, W, H);
  assert.deepEqual([...kp.slice(0, 3)].map((v) => Math.round(v * 1e4) / 1e4), [3.25, 1.75, 0.9]);
  assert.deepEqual([...kp.slice(3, 6)].map((v) => Math.round(v * 1e4) / 1e4), [2, 3, 0.7]);
  // an empty heatmap: the first pixel, score 0
  assert.deepEqual([...kp.slice(6, 9)], [0, 0, 0]);
});

test('decodePose: no shift at the border, none when asked; ties go to the first in row-major order', () => {
  const m = heat();
  set(m, 0, 4, 2, 0.6);
  set(m, 1, 4, 2, 0.3);
  set(m, 5, 0, 3, 0.4);
  set(m, 2, 0, 3, 0.4);
  set(m, 3, 0, 3, 0.1);
  const kp = decodePose(m, W, H);
  assert.deepEqual([kp[6], kp[7]], [0, 4], 'at the left and bottom edges the maximum stays');
  assert.deepEqual([kp[9], kp[10]], [2.25, 0], 'the first of two equal maxima, shifted in x only');
  const plain = decodePose(m, W, H, false);
  assert.deepEqual([plain[9], plain[10]], [2, 0]);
  assert.throws(() => decodePose(new Float32Array(10), W, H), /pose heatmap has 10 values, expected 5 x 6 x 17/);
});
