// Our fused Adam against tf.train.adam (same formula; epsilon set equal) on the cpu backend, and
// a golden first step worked out by hand: after one step with gradient g, m/c1 = g and
// sqrt(v/c2) = |g|, so w moves by -lr * g / (|g| + eps).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { Adam } from '../../lib/train/adam.ts';
import { initBackend } from '../../lib/nn/runtime/backend.ts';
import { randomArray, relMaxDiff } from './helpers.ts';

test('first Adam step moves each weight by lr * g / (|g| + eps)', () => {
  const w = new Float32Array([1, -2, 0.5]);
  const adam = new Adam(3, { lr: 0.1, epsilon: 1e-8 });
  adam.update(w, new Float32Array([0.3, -4, 0]));
  assert.ok(Math.abs(w[0] - (1 - 0.1 * 0.3 / (0.3 + 1e-8))) < 1e-7);
  assert.ok(Math.abs(w[1] - (-2 + 0.1)) < 1e-7);
  assert.equal(w[2], 0.5);
  assert.equal(adam.step, 1);
});

test('Adam matches tf.train.adam over several steps', async () => {
  await initBackend({ backend: 'cpu', log: false });
  const n = 50;
  const w0 = randomArray(n, 'adam-w');
  const ours = w0.slice();
  const adam = new Adam(n, { lr: 0.01, beta1: 0.8, beta2: 0.99, epsilon: 1e-6 });
  const v = tf.variable(tf.tensor1d(w0));
  const opt = tf.train.adam(0.01, 0.8, 0.99, 1e-6);
  for (let s = 0; s < 5; s++) {
    const g = randomArray(n, `adam-g${s}`);
    adam.update(ours, g, 0.5);
    opt.applyGradients([{ name: v.name, tensor: tf.mul(tf.tensor1d(g), 0.5) }]);
  }
  assert.ok(relMaxDiff(ours, v.dataSync() as Float32Array) < 1e-5);
  const st = adam.getState();
  const other = new Adam(n, { lr: 0.01, beta1: 0.8, beta2: 0.99, epsilon: 1e-6 });
  other.setState(st);
  const a = ours.slice();
  const b = ours.slice();
  const g = randomArray(n, 'adam-last');
  adam.update(a, g);
  other.update(b, g);
  assert.deepEqual(a, b);
  v.dispose();
  opt.dispose();
});

test('bad Adam hyper-parameters are rejected', () => {
  assert.throws(() => new Adam(1, { lr: -1 }), /lr must be a finite number >= 0/);
  assert.throws(() => new Adam(1, { beta1: 1 }), /betas must be < 1/);
});
