// The wasm depthwise-convolution gradients (lib/nn/runtime/kernels/depthwise-grad.ts) against the
// tfjs cpu kernels (undilated: the cpu kernels ignore dilations), and as the adjoint of the forward kernel: <dy, conv(x, w)> = <dx(dy), x> =
// <dw(x, dy), w> for the input and filter gradients.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../lib/nn/runtime/backend.ts';
import { randomArray, relMaxDiff } from '../../train/helpers.ts';

interface Case {
  x: number[];
  f: number[];
  strides: number;
  dilations: number;
  pad: 'same' | 'valid';
}

const cases: Case[] = [
  // multiplier 1 with channels not a multiple of 4: four on the SIMD filter gradient, the rest in JavaScript
  { x: [2, 9, 11, 5], f: [3, 3, 5, 1], strides: 1, dilations: 1, pad: 'same' },
  { x: [1, 12, 10, 6], f: [5, 5, 6, 1], strides: 1, dilations: 1, pad: 'same' },
  { x: [2, 8, 8, 18], f: [5, 5, 18, 1], strides: 1, dilations: 1, pad: 'same' },
  { x: [1, 9, 7, 23], f: [3, 3, 23, 1], strides: 2, dilations: 1, pad: 'valid' },
  // fewer than 4 channels, or a multiplier above 1: JavaScript only
  { x: [1, 7, 7, 3], f: [3, 3, 3, 1], strides: 1, dilations: 1, pad: 'same' },
  { x: [2, 9, 8, 3], f: [3, 3, 3, 2], strides: 2, dilations: 1, pad: 'same' },
  { x: [1, 10, 9, 4], f: [3, 3, 4, 1], strides: 1, dilations: 2, pad: 'valid' },
  { x: [1, 11, 11, 2], f: [5, 5, 2, 3], strides: 2, dilations: 1, pad: 'valid' },
  // channels a multiple of 4, multiplier 1: the SIMD filter gradient (and the rotated-filter input gradient)
  { x: [2, 9, 11, 8], f: [3, 3, 8, 1], strides: 1, dilations: 1, pad: 'same' },
  { x: [2, 6, 5, 12], f: [5, 5, 12, 1], strides: 1, dilations: 1, pad: 'same' },
  { x: [1, 10, 9, 12], f: [5, 5, 12, 1], strides: 2, dilations: 1, pad: 'valid' },
];

const size = (s: number[]) => s.reduce((a, b) => a * b, 1);

function grads(backend: string, c: Case, xv: Float32Array, wv: Float32Array, key: string) {
  tf.setBackend(backend);
  return tf.tidy(() => {
    const x = tf.tensor4d(xv, c.x as [number, number, number, number]);
    const w = tf.tensor4d(wv, c.f as [number, number, number, number]);
    const y = tf.depthwiseConv2d(x, w, c.strides, c.pad, 'NHWC', c.dilations);
    const dy = tf.tensor(randomArray(y.size, key), y.shape) as tf.Tensor4D;
    const dx = tf.engine().runKernel('DepthwiseConv2dNativeBackpropInput', { dy, filter: w }, { strides: c.strides, pad: c.pad, dilations: c.dilations, inputShape: c.x } as unknown as tf.NamedAttrMap) as tf.Tensor;
    const dw = tf.engine().runKernel('DepthwiseConv2dNativeBackpropFilter', { x, dy }, { strides: c.strides, pad: c.pad, dilations: c.dilations, filterShape: c.f } as unknown as tf.NamedAttrMap) as tf.Tensor;
    const dot = (a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(a, b)).dataSync()[0];
    return { dx: dx.dataSync() as Float32Array, dw: dw.dataSync() as Float32Array, yDy: dot(y, dy), dxX: dot(dx, x), dwW: dot(dw, w) };
  });
}

test('DepthwiseConv2dNativeBackpropInput/Filter on wasm match cpu and are the adjoints of the forward kernel', async () => {
  await initBackend({ backend: 'wasm', log: false });
  await tf.ready();
  cases.forEach((c, i) => {
    const xv = randomArray(size(c.x), `x${i}`);
    const wv = randomArray(size(c.f), `w${i}`);
    const wasm = grads('wasm', c, xv, wv, `dy${i}`);
    const cpu = grads('cpu', c, xv, wv, `dy${i}`);
    const label = JSON.stringify(c);
    // the cpu kernels ignore dilations (tfjs's gradient refuses dilated depthwise convolutions)
    if (c.dilations === 1) {
      assert.ok(relMaxDiff(wasm.dx, cpu.dx) < 1e-5, `dx ${label}: ${relMaxDiff(wasm.dx, cpu.dx)}`);
      assert.ok(relMaxDiff(wasm.dw, cpu.dw) < 1e-5, `dw ${label}: ${relMaxDiff(wasm.dw, cpu.dw)}`);
    }
    const tol = 1e-4 * Math.max(1, Math.abs(wasm.yDy));
    assert.ok(Math.abs(wasm.yDy - wasm.dxX) < tol, `<dy, y> ${wasm.yDy} != <dx, x> ${wasm.dxX} ${label}`);
    assert.ok(Math.abs(wasm.yDy - wasm.dwW) < tol, `<dy, y> ${wasm.yDy} != <dw, w> ${wasm.dwW} ${label}`);
  });
});
