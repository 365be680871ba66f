// The other wasm kernels we register (MaxPoolGrad, ResizeNearestNeighborGrad, the bias/ReLU
// gradients) against the tfjs cpu backend, and registration/unregistration.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../lib/nn/runtime/backend.ts';
import { registerWasmTrainingKernels, stockCpuKernel, unregisterWasmTrainingKernels, wasmTrainingKernels } from '../../../lib/nn/runtime/wasm-kernels.ts';
import { nearestSource } from '../../../lib/nn/runtime/kernels/resize-nearest-grad.ts';
import { randomArray, relMaxDiff } from '../../train/helpers.ts';

type In = { data: Float32Array; shape: number[] };

function run(backend: string, name: string, inputs: Record<string, In>, attrs: Record<string, unknown>): Float32Array[] {
  tf.setBackend(backend);
  return tf.tidy(() => {
    const ins: Record<string, tf.Tensor> = {};
    for (const [k, v] of Object.entries(inputs)) ins[k] = tf.tensor(v.data, v.shape);
    const out = tf.engine().runKernel(name, ins as tf.NamedTensorMap, attrs as tf.NamedAttrMap) as tf.Tensor | tf.Tensor[];
    return (Array.isArray(out) ? out : [out]).map((t) => t.dataSync() as Float32Array);
  });
}

const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
const rand = (shape: number[], key: string): In => ({ data: randomArray(size(shape), key), shape });

test('our kernels are the ones registered on wasm, and unregistering restores the stock ones', async () => {
  await initBackend({ backend: 'wasm', log: false });
  for (const [name, fn] of Object.entries(wasmTrainingKernels)) assert.equal(tf.getKernel(name, 'wasm')?.kernelFunc, fn, name);
  unregisterWasmTrainingKernels();
  assert.equal(tf.getKernel('Conv2DBackpropFilter', 'wasm'), undefined);
  assert.notEqual(tf.getKernel('Conv2DBackpropInput', 'wasm')?.kernelFunc, wasmTrainingKernels.Conv2DBackpropInput);
  registerWasmTrainingKernels();
  assert.equal(tf.getKernel('Conv2DBackpropFilter', 'wasm')?.kernelFunc, wasmTrainingKernels.Conv2DBackpropFilter);
});

test('MaxPoolGrad matches cpu (incl. ties from ReLU zeros, overlapping windows, padding)', async () => {
  await initBackend({ backend: 'wasm', log: false });
  const cases: { shape: number[]; filterSize: number[]; strides: number[]; pad: 'same' | 'valid' }[] = [
    { shape: [2, 8, 10, 3], filterSize: [2, 2], strides: [2, 2], pad: 'valid' },
    { shape: [1, 9, 7, 4], filterSize: [3, 3], strides: [2, 2], pad: 'same' },
    { shape: [2, 7, 9, 2], filterSize: [3, 2], strides: [1, 2], pad: 'valid' },
    { shape: [1, 5, 5, 5], filterSize: [2, 2], strides: [2, 2], pad: 'same' },
    { shape: [2, 7, 9, 3], filterSize: [2, 2], strides: [2, 2], pad: 'valid' },
  ];
  for (const [i, c] of cases.entries()) {
    const x = rand(c.shape, `mp${i}`);
    // ReLU-like input: many exact zeros, so ties decide where the gradient goes.
    for (let k = 0; k < x.data.length; k++) x.data[k] = Math.max(0, x.data[k]);
    tf.setBackend('cpu');
    const outShape = tf.tidy(() => tf.maxPool(tf.tensor4d(x.data, x.shape as [number, number, number, number]), c.filterSize as [number, number], c.strides as [number, number], c.pad).shape);
    const y = { data: tf.tidy(() => tf.maxPool(tf.tensor4d(x.data, x.shape as [number, number, number, number]), c.filterSize as [number, number], c.strides as [number, number], c.pad).dataSync() as Float32Array), shape: outShape };
    const dy = rand(outShape, `mpdy${i}`);
    const attrs = { filterSize: c.filterSize, strides: c.strides, pad: c.pad, dimRoundingMode: undefined };
    const [cpu] = run('cpu', 'MaxPoolGrad', { dy, input: x, output: y }, attrs);
    const [wasm] = run('wasm', 'MaxPoolGrad', { dy, input: x, output: y }, attrs);
    assert.ok(relMaxDiff(wasm, cpu) < 1e-6, `case ${i}: ${relMaxDiff(wasm, cpu)}`);
  }
});

test('ResizeNearestNeighborGrad matches cpu; halfPixelCenters is the adjoint of the forward', async () => {
  await initBackend({ backend: 'wasm', log: false });
  const cases = [
    { inShape: [2, 4, 6, 3], size: [8, 12], alignCorners: false },
    { inShape: [1, 5, 3, 2], size: [7, 8], alignCorners: false },
    { inShape: [1, 5, 3, 2], size: [7, 8], alignCorners: true },
    { inShape: [2, 8, 8, 2], size: [3, 5], alignCorners: false },
  ];
  for (const [i, c] of cases.entries()) {
    const images = rand(c.inShape, `rz${i}`);
    const dy = rand([c.inShape[0], c.size[0], c.size[1], c.inShape[3]], `rzdy${i}`);
    const attrs = { alignCorners: c.alignCorners, halfPixelCenters: false };
    // The tfjs 4.22 cpu kernel offsets dy by the *images* batch stride, so it is only right for
    // batch 1: the reference is its result one image at a time.
    const [n, h, w, ch] = c.inShape;
    const imgSize = h * w * ch;
    const dySize = c.size[0] * c.size[1] * ch;
    const cpu = new Float32Array(n * imgSize);
    const stock = stockCpuKernel('ResizeNearestNeighborGrad');
    assert.ok(stock, 'the stock cpu kernel was kept');
    tf.setBackend('cpu');
    for (let b = 0; b < n; b++) {
      const one = tf.tidy(() => {
        const im = tf.tensor4d(images.data.slice(b * imgSize, (b + 1) * imgSize), [1, h, w, ch]);
        const d = tf.tensor4d(dy.data.slice(b * dySize, (b + 1) * dySize), [1, c.size[0], c.size[1], ch]);
        const info = stock.kernelFunc({ inputs: { images: im, dy: d }, backend: tf.backend(), attrs }) as tf.TensorInfo;
        return tf.engine().makeTensorFromTensorInfo(info).dataSync() as Float32Array;
      });
      cpu.set(one, b * imgSize);
    }
    // initBackend replaced the cpu kernel by ours, which must agree for the whole batch.
    const [cpuFixed] = run('cpu', 'ResizeNearestNeighborGrad', { images, dy }, attrs);
    assert.ok(relMaxDiff(cpuFixed, cpu) < 1e-6, `cpu fix, case ${i}`);
    const [wasm] = run('wasm', 'ResizeNearestNeighborGrad', { images, dy }, attrs);
    assert.ok(relMaxDiff(wasm, cpu) < 1e-6, `case ${i}`);
  }
  // Adjoint check for halfPixelCenters: <resize(x), dy> = <x, grad(dy)>.
  const x = rand([1, 5, 7, 2], 'adj-x');
  const dy = rand([1, 8, 4, 2], 'adj-dy');
  tf.setBackend('wasm');
  const lhs = tf.tidy(() => tf.sum(tf.mul(tf.image.resizeNearestNeighbor(tf.tensor4d(x.data, [1, 5, 7, 2]), [8, 4], false, true), tf.tensor4d(dy.data, [1, 8, 4, 2]))).dataSync()[0]);
  const [g] = run('wasm', 'ResizeNearestNeighborGrad', { images: x, dy }, { alignCorners: false, halfPixelCenters: true });
  let rhs = 0;
  for (let k = 0; k < g.length; k++) rhs += g[k] * x.data[k];
  assert.ok(Math.abs(lhs - rhs) < 1e-4 * Math.max(1, Math.abs(lhs)), `${lhs} vs ${rhs}`);
  // Golden source indices, worked out by hand from the tfjs formula: in 4 -> out 8 is floor(o/2).
  assert.deepEqual([...nearestSource(4, 8, false, false)], [0, 0, 1, 1, 2, 2, 3, 3]);
  // in 5 -> out 3, half pixel centers: floor(5/3 * (o + 0.5)) = floor(0.83), floor(2.5), floor(4.17).
  assert.deepEqual([...nearestSource(5, 3, false, true)], [0, 2, 4]);
});

// 7 channels: the JavaScript loops; 16: the SIMD kernels.
for (const ch of [7, 16]) test(`bias and ReLU-bias gradient kernels match the same quantities on cpu (${ch} channels)`, async () => {
  await initBackend({ backend: 'wasm', log: false });
  const shape = [2, 5, 6, ch];
  const dy = rand(shape, `bg-dy${ch}`);
  const y = rand(shape, `bg-y${ch}`);
  for (let k = 0; k < y.data.length; k++) y.data[k] = Math.max(0, y.data[k]);
  const [g, db] = run('wasm', 'AnonImpactReluBiasGrad', { dy, y }, {});
  const [db2] = run('wasm', 'AnonImpactBiasGrad', { dy }, {});
  tf.setBackend('cpu');
  const [gc, dbc, db2c] = tf.tidy(() => {
    const d = tf.tensor4d(dy.data, shape as [number, number, number, number]);
    const gg = tf.mul(d, tf.step(tf.tensor4d(y.data, shape as [number, number, number, number])));
    return [gg.dataSync(), tf.sum(gg, [0, 1, 2]).dataSync(), tf.sum(d, [0, 1, 2]).dataSync()] as Float32Array[];
  });
  assert.ok(relMaxDiff(g, gc) === 0, 'relu grad');
  assert.ok(relMaxDiff(db, dbc) < 1e-5, 'relu bias grad');
  assert.ok(relMaxDiff(db2, db2c) < 1e-5, 'bias grad');
});

// 5 channels: JavaScript loops; 8: SIMD.
for (const ch of [5, 8]) test(`phase interleaving kernels match their tf-op definitions on cpu (${ch} channels)`, async () => {
  await initBackend({ backend: 'wasm', log: false });
  const p = [0, 1, 2, 3].map((i) => rand([2, 3, 4, ch], `ph${i}-${ch}`));
  const s = rand([2, 6, 8, ch], `ph-s${ch}`);
  const [y] = run('wasm', 'AnonImpactUpAddRelu', { p00: p[0], p01: p[1], p10: p[2], p11: p[3], s }, {});
  const split = run('wasm', 'AnonImpactPhaseSplit', { x: s }, {});
  tf.setBackend('cpu');
  const [yc, ...splitC] = tf.tidy(() => {
    const t = p.map((q) => tf.tensor4d(q.data, [2, 3, 4, ch]));
    const st = tf.tensor4d(s.data, [2, 6, 8, ch]);
    const up = tf.reshape(tf.stack([tf.stack([t[0], t[1]], 3), tf.stack([t[2], t[3]], 3)], 2), [2, 6, 8, ch]);
    const parts = [[0, 0], [0, 1], [1, 0], [1, 1]].map(([a, b]) => tf.stridedSlice(st, [0, a, b, 0], [2, 6, 8, ch], [1, 2, 2, 1]).dataSync() as Float32Array);
    return [tf.relu(tf.add(up, st)).dataSync() as Float32Array, ...parts];
  });
  assert.equal(relMaxDiff(y, yc), 0);
  for (let i = 0; i < 4; i++) assert.deepEqual(split[i], splitC[i]);
});
