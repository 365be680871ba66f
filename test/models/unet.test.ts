// The reference U-Net: its parameter count, shapes, seeded init, and that the model's
// concat-free up levels compute the same function as resize + concat + conv (on cpu), with
// gradients equal on wasm (our kernels) and cpu.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { createUnet, unetParamCount } from '../../lib/models/unet.ts';
import { countParams } from '../../lib/nn/param.ts';
import { initBackend } from '../../lib/nn/runtime/backend.ts';
import { crossEntropySum, prepareLabels } from '../../lib/train/loss.ts';
import { randomArray, relMaxDiff } from '../train/helpers.ts';

test('the default U-Net has exactly 487,620 parameters', async () => {
  await initBackend({ backend: 'cpu', log: false });
  assert.equal(unetParamCount(), 487620);
  const m = createUnet({ seed: 1 });
  assert.equal(countParams(m), 487620);
  assert.equal(m.params.length, 30);
  assert.equal(m.params[0].name, 'down0.conv0.kernel');
  assert.deepEqual(m.params[0].variable.shape, [3, 3, 3, 16]);
  assert.deepEqual(m.params.find((p) => p.name === 'up2.conv0.kernel')!.variable.shape, [3, 3, 192, 64]);
  assert.deepEqual(m.params.at(-1)!.variable.shape, [20]);
  m.dispose();
  // Width and depth: widths 8/16 with middle 32 for width 0.5, depth 2.
  assert.equal(unetParamCount({ width: 0.5, depth: 2 }), (27 * 8 + 8) + (72 * 8 + 8) + (72 * 16 + 16) + (144 * 16 + 16) + (144 * 32 + 32) + (288 * 32 + 32)
    + (9 * 48 * 16 + 16) + (144 * 16 + 16) + (9 * 24 * 8 + 8) + (72 * 8 + 8) + (8 * 20 + 20));
  assert.throws(() => unetParamCount({ depth: 0 }), /depth must be an integer >= 1/);
});

test('seeded init: same seed same weights, other seed other weights; He-normal scale', async () => {
  await initBackend({ backend: 'cpu', log: false });
  const a = createUnet({ seed: 7 });
  const b = createUnet({ seed: 7 });
  const c = createUnet({ seed: 8 });
  const wa = a.params[2].variable.dataSync();
  assert.deepEqual(wa, b.params[2].variable.dataSync());
  assert.notDeepEqual(wa, c.params[2].variable.dataSync());
  // down0.conv1.kernel: fan_in 144, sd sqrt(2/144) = 0.1179; 2304 draws.
  let s2 = 0;
  for (const v of wa) s2 += v * v;
  const sd = Math.sqrt(s2 / wa.length);
  assert.ok(Math.abs(sd - Math.sqrt(2 / 144)) < 0.01, `sd ${sd}`);
  for (const m of [a, b, c]) m.dispose();
});

/** The textbook formulation: resize, concatenate, convolve (tfjs ops only). */
function reference(m: ReturnType<typeof createUnet>, x: tf.Tensor4D): tf.Tensor4D {
  const p = new Map(m.params.map((q) => [q.name, q.variable]));
  const conv = (name: string, h: tf.Tensor4D, relu = true) => {
    const y = tf.add(tf.conv2d(h, p.get(`${name}.kernel`) as tf.Tensor4D, 1, 'same'), p.get(`${name}.bias`)!) as tf.Tensor4D;
    return relu ? tf.relu(y) : y;
  };
  const skips: tf.Tensor4D[] = [];
  let h = x;
  for (let l = 0; l < 3; l++) {
    h = conv(`down${l}.conv1`, conv(`down${l}.conv0`, h));
    skips.push(h);
    h = tf.maxPool(h, 2, 2, 'valid');
  }
  h = conv('mid.conv1', conv('mid.conv0', h));
  for (let l = 2; l >= 0; l--) {
    const up = tf.image.resizeNearestNeighbor(h, [skips[l].shape[1], skips[l].shape[2]]);
    h = conv(`up${l}.conv1`, conv(`up${l}.conv0`, tf.concat([up, skips[l]], 3)));
  }
  return conv('head', h, false);
}

// 16x24: every up level uses the phase decomposition; 18x22: levels 9x11, 4x5, 2x2, so two up
// levels up-sample to odd sizes (built explicitly) and one uses the phases.
for (const [h, w] of [[16, 24], [18, 22]]) test(`forward and loss gradients at ${h}x${w}: model = textbook formulation on cpu; wasm = cpu`, async () => {
  const n = 2;
  const xs = randomArray(n * h * w * 3, 'unet-x');
  const labels = new Int32Array(n * h * w).map((_, i) => (i * 13) % 20);
  labels[5] = 255;
  const { index } = prepareLabels(labels, 20);
  const run = (backend: 'cpu' | 'wasm', ref: boolean) => {
    tf.setBackend(backend);
    const m = createUnet({ seed: 4 });
    const vars = m.params.map((q) => q.variable);
    const out = tf.tidy(() => {
      const x = tf.tensor4d(xs, [n, h, w, 3]);
      const f = () => crossEntropySum(ref ? reference(m, x) : m.apply(x), index);
      const logits = (ref ? reference(m, x) : m.apply(x)).dataSync() as Float32Array;
      const { value, grads } = tf.variableGrads(f, vars);
      return { logits, loss: value.dataSync()[0], grads: vars.map((v) => grads[v.name].dataSync() as Float32Array) };
    });
    m.dispose();
    return out;
  };
  await initBackend({ backend: 'wasm', log: false });
  await initBackend({ backend: 'cpu', log: false });
  const refCpu = run('cpu', true);
  const ours = run('cpu', false);
  const wasm = run('wasm', false);
  assert.ok(relMaxDiff(ours.logits, refCpu.logits) < 1e-5, 'logits');
  assert.ok(Math.abs(ours.loss - refCpu.loss) < 1e-4 * refCpu.loss);
  for (let i = 0; i < refCpu.grads.length; i++) {
    assert.ok(relMaxDiff(ours.grads[i], refCpu.grads[i]) < 1e-4, `cpu grad ${i}: ${relMaxDiff(ours.grads[i], refCpu.grads[i])}`);
    assert.ok(relMaxDiff(wasm.grads[i], refCpu.grads[i]) < 1e-4, `wasm grad ${i}: ${relMaxDiff(wasm.grads[i], refCpu.grads[i])}`);
  }
  assert.ok(Math.abs(wasm.loss - refCpu.loss) < 1e-4 * refCpu.loss);
});
