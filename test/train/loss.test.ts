// Summed pixel cross-entropy: golden values worked out by hand (with Python's math module:
// log(e + e^2 + e^3) - 3 = 0.40760596444438, log 3 = 1.09861228866811; softmax([1,2,3]) =
// [0.0900305731703805, 0.244728471054798, 0.665240955774822]), the same on wasm and cpu.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../lib/nn/runtime/backend.ts';
import { crossEntropySum, prepareLabels } from '../../lib/train/loss.ts';
import { randomArray, relMaxDiff } from './helpers.ts';

for (const backend of ['cpu', 'wasm'] as const) {
  test(`cross-entropy sum and gradient, golden values (${backend})`, async () => {
    await initBackend({ backend, log: false });
    // 3 pixels (1 image 1x3), 3 classes; the last pixel is unlabelled.
    const z = [1, 2, 3, 0, 0, 0, 5, -5, 0];
    const { index, count } = prepareLabels(new Int32Array([2, 0, 255]), 3);
    assert.equal(count, 2);
    assert.deepEqual([...index], [2, 0, -1]);
    const [value, grad] = tf.tidy(() => {
      const logits = tf.tensor4d(z, [1, 1, 3, 3]);
      const value = crossEntropySum(logits, index);
      const grads = tf.grad((l: tf.Tensor) => crossEntropySum(l as tf.Tensor4D, index))(logits);
      return [value.dataSync()[0], grads.dataSync()];
    });
    assert.ok(Math.abs(value - 1.50621825311249) < 1e-5, `loss ${value}`);
    const expected = [0.0900305731703805, 0.244728471054798, 0.665240955774822 - 1, 1 / 3 - 1, 1 / 3, 1 / 3, 0, 0, 0];
    for (let i = 0; i < 9; i++) assert.ok(Math.abs(grad[i] - expected[i]) < 1e-6, `grad[${i}] ${grad[i]} vs ${expected[i]}`);
  });
}

test('labels outside the classes that are not the ignore index are an error', () => {
  assert.throws(() => prepareLabels(new Int32Array([0, 3]), 3), /label 3 at pixel 1 is neither a class in \[0, 3\) nor the ignore index 255/);
  assert.throws(() => prepareLabels(new Int32Array([-1]), 3, 255), /label -1/);
  assert.equal(prepareLabels(new Int32Array([-1, 1]), 3, -1).count, 1);
});

// 20 classes: the SIMD kernel (scale 40 drives exp far below its clamp at -87.3); 6: JavaScript.
for (const [classes, scale] of [[20, 4], [20, 40], [6, 4]]) test(`the one-pass wasm kernel equals the op-by-op formula on cpu (${classes} classes, logits x${scale}, ignored pixels)`, async () => {
  const shape: [number, number, number, number] = [2, 5, 7, classes];
  const z = randomArray(2 * 5 * 7 * classes, `ce-z${classes}`, scale);
  const labels = new Int32Array(70).map((_, i) => (i % 9 === 0 ? 255 : (i * 7) % classes));
  const { index } = prepareLabels(labels, classes);
  const run = async (backend: 'cpu' | 'wasm') => {
    await initBackend({ backend, log: false });
    return tf.tidy(() => {
      const l = tf.tensor4d(z, shape);
      const v = crossEntropySum(l, index).dataSync()[0];
      const g = tf.grad((t: tf.Tensor) => tf.mul(crossEntropySum(t as tf.Tensor4D, index), 0.5))(l).dataSync() as Float32Array;
      return { v, g };
    });
  };
  const cpu = await run('cpu');
  const wasm = await run('wasm');
  assert.ok(Math.abs(wasm.v - cpu.v) < 1e-5 * cpu.v);
  assert.ok(relMaxDiff(wasm.g, cpu.g) < 1e-5);
});
