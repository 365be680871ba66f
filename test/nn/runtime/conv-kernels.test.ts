// Our wasm Conv2DBackpropFilter / Conv2DBackpropInput against the tfjs cpu backend's kernels, on
// random shapes, strides 1 and 2, 'same', 'valid' and explicit padding.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../lib/nn/runtime/backend.ts';
import { InitRng } from '../../../lib/nn/init.ts';
import { randomArray, randomInt, relMaxDiff } from '../../train/helpers.ts';
import { setForceConvFilterGrad } from '../../../lib/nn/runtime/kernels/conv2d-backprop-filter.ts';
import { disableRelaxedSimd, relaxedSimdAvailable } from '../../../lib/nn/runtime/kernels/wasm-emit.ts';

type Pad = 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];

function runOn(backend: string, name: string, inputs: Record<string, { data: Float32Array; shape: number[] }>, attrs: Record<string, unknown>): Float32Array {
  tf.setBackend(backend);
  return tf.tidy(() => {
    const ins: Record<string, tf.Tensor> = {};
    for (const [k, v] of Object.entries(inputs)) ins[k] = tf.tensor(v.data, v.shape);
    const out = tf.engine().runKernel(name, ins as tf.NamedTensorMap, attrs as tf.NamedAttrMap) as tf.Tensor;
    return out.dataSync() as Float32Array;
  });
}

interface Case {
  n: number; h: number; w: number; cin: number; cout: number; kh: number; kw: number; stride: number; pad: Pad;
}

function cases(): Case[] {
  const rng = new InitRng('conv-kernel-cases');
  const out: Case[] = [];
  const pads: Pad[] = ['same', 'valid', [[0, 0], [1, 2], [0, 1], [0, 0]]];
  for (let i = 0; i < 24; i++) {
    const kh = [1, 2, 3, 5][randomInt(rng, 0, 3)];
    const kw = [1, 2, 3][randomInt(rng, 0, 2)];
    out.push({
      n: randomInt(rng, 1, 3), h: randomInt(rng, 5, 12), w: randomInt(rng, 5, 12),
      cin: randomInt(rng, 1, 6), cout: [1, 2, 3, 4, 5, 7, 8, 12][randomInt(rng, 0, 7)], kh, kw,
      stride: 1 + (i % 2), pad: pads[i % 3],
    });
  }
  // The shapes of the reference net.
  out.push({ n: 2, h: 16, w: 32, cin: 16, cout: 16, kh: 3, kw: 3, stride: 1, pad: 'same' });
  out.push({ n: 2, h: 8, w: 16, cin: 48, cout: 16, kh: 3, kw: 3, stride: 1, pad: 'same' });
  out.push({ n: 2, h: 16, w: 16, cin: 16, cout: 20, kh: 1, kw: 1, stride: 1, pad: 'same' });
  out.push({ n: 3, h: 9, w: 13, cin: 3, cout: 16, kh: 3, kw: 3, stride: 2, pad: 'valid' });
  out.push({ n: 2, h: 7, w: 9, cin: 8, cout: 12, kh: 3, kw: 3, stride: 1, pad: 'same' });
  out.push({ n: 1, h: 6, w: 5, cin: 12, cout: 8, kh: 2, kw: 3, stride: 1, pad: [[0, 0], [0, 2], [2, 0], [0, 0]] });
  out.push({ n: 1, h: 10, w: 7, cin: 5, cout: 8, kh: 2, kw: 2, stride: 1, pad: [[0, 0], [1, 0], [0, 1], [0, 0]] });
  return out;
}

// Run with fused multiply-add (relaxed SIMD) where the engine has it, and without.
for (const fma of [true, false]) test(`our wasm convolution gradient kernels match the cpu backend (fma ${fma})`, async () => {
  await initBackend({ backend: 'wasm', log: false });
  disableRelaxedSimd(!fma);
  if (fma && !relaxedSimdAvailable()) console.log('# relaxed SIMD not available here: both runs use multiply + add');
  for (const [i, c] of cases().entries()) {
    const xShape = [c.n, c.h, c.w, c.cin];
    const fShape = [c.kh, c.kw, c.cin, c.cout];
    const info = tf.backend_util.computeConv2DInfo(xShape as [number, number, number, number], fShape as [number, number, number, number], c.stride, 1, c.pad);
    const dyShape = [c.n, info.outHeight, info.outWidth, c.cout];
    const x = { data: randomArray(xShape.reduce((a, b) => a * b), `x${i}`), shape: xShape };
    const f = { data: randomArray(fShape.reduce((a, b) => a * b), `f${i}`), shape: fShape };
    const dy = { data: randomArray(dyShape.reduce((a, b) => a * b), `dy${i}`), shape: dyShape };
    const common = { strides: [c.stride, c.stride], pad: c.pad, dataFormat: 'NHWC', dimRoundingMode: undefined };
    const label = JSON.stringify(c);

    const dwCpu = runOn('cpu', 'Conv2DBackpropFilter', { x, dy }, { ...common, filterShape: fShape });
    // Both formulations: the SIMD kernel (output channels a multiple of 4) and the convolution.
    for (const force of [false, true]) {
      setForceConvFilterGrad(force);
      const dwWasm = runOn('wasm', 'Conv2DBackpropFilter', { x, dy }, { ...common, filterShape: fShape });
      setForceConvFilterGrad(false);
      assert.ok(relMaxDiff(dwWasm, dwCpu) < 1e-5, `filter gradient ${force ? '(conv)' : ''} ${label}: rel diff ${relMaxDiff(dwWasm, dwCpu)}`);
    }

    const dxCpu = runOn('cpu', 'Conv2DBackpropInput', { dy, filter: f }, { ...common, inputShape: xShape });
    const dxWasm = runOn('wasm', 'Conv2DBackpropInput', { dy, filter: f }, { ...common, inputShape: xShape });
    assert.ok(relMaxDiff(dxWasm, dxCpu) < 1e-5, `input gradient ${label}: rel diff ${relMaxDiff(dxWasm, dxCpu)}`);
  }
  disableRelaxedSimd(false);
});

test('tf.grads of a convolution on wasm equals cpu', async () => {
  await initBackend({ backend: 'wasm', log: false });
  const xs = { data: randomArray(2 * 9 * 11 * 4, 'gx'), shape: [2, 9, 11, 4] };
  const ws = { data: randomArray(3 * 3 * 4 * 5, 'gw'), shape: [3, 3, 4, 5] };
  const rs = randomArray(2 * 5 * 6 * 5, 'gr');
  const grads = (backend: string) => {
    tf.setBackend(backend);
    return tf.tidy(() => {
      const x = tf.tensor4d(xs.data, xs.shape as [number, number, number, number]);
      const w = tf.tensor4d(ws.data, ws.shape as [number, number, number, number]);
      const r = tf.tensor4d(rs, [2, 5, 6, 5]);
      const g = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'same'), r)));
      return g([x, w]).map((t) => t.dataSync() as Float32Array);
    });
  };
  const cpu = grads('cpu');
  const wasm = grads('wasm');
  assert.ok(relMaxDiff(wasm[0], cpu[0]) < 1e-5, 'dx');
  assert.ok(relMaxDiff(wasm[1], cpu[1]) < 1e-5, 'dw');
});

for (const fma of [true, false]) test(`Conv2D and FusedConv2D on wasm (ours where they apply, stock otherwise) match cpu (fma ${fma})`, async () => {
  await initBackend({ backend: 'wasm', log: false });
  disableRelaxedSimd(!fma);
  const rng = new InitRng('conv-forward-cases');
  const pads: Pad[] = ['same', 'valid', [[0, 0], [2, 0], [1, 3], [0, 0]]];
  for (let i = 0; i < 18; i++) {
    const c = {
      n: randomInt(rng, 1, 3), h: randomInt(rng, 4, 11), w: randomInt(rng, 4, 11), cin: randomInt(rng, 1, 9),
      cout: [4, 8, 12, 16, 20, 3, 6][randomInt(rng, 0, 6)], kh: [1, 2, 3, 5][randomInt(rng, 0, 3)], kw: [1, 3][randomInt(rng, 0, 1)],
      stride: i % 5 === 4 ? 2 : 1, pad: pads[i % 3],
    };
    const xShape = [c.n, c.h, c.w, c.cin];
    const fShape = [c.kh, c.kw, c.cin, c.cout];
    const x = { data: randomArray(xShape.reduce((a, b) => a * b), `fx${i}`), shape: xShape };
    const filter = { data: randomArray(fShape.reduce((a, b) => a * b), `ff${i}`), shape: fShape };
    const bias = { data: randomArray(c.cout, `fb${i}`), shape: [c.cout] };
    const common = { strides: [c.stride, c.stride], pad: c.pad, dataFormat: 'NHWC', dilations: [1, 1] };
    const label = JSON.stringify(c);
    const a = runOn('cpu', 'Conv2D', { x, filter }, common);
    const b = runOn('wasm', 'Conv2D', { x, filter }, common);
    assert.ok(relMaxDiff(b, a) < 1e-5, `Conv2D ${label}`);
    for (const activation of ['linear', 'relu']) {
      const fa = runOn('cpu', 'FusedConv2D', { x, filter, bias }, { ...common, activation });
      const fb = runOn('wasm', 'FusedConv2D', { x, filter, bias }, { ...common, activation });
      assert.ok(relMaxDiff(fb, fa) < 1e-5, `FusedConv2D ${activation} ${label}`);
    }
  }
  disableRelaxedSimd(false);
});
