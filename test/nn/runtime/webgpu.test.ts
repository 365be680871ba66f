// The webgpu backend in Node on SwiftShader, the CPU Vulkan device: it starts and names its
// adapter, computes a convolution's gradient as wasm does, reads asynchronously, and a
// synchronous read is an error that names the remedy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../lib/nn/runtime/backend.ts';
import { SWIFTSHADER_ICD } from '../../../lib/nn/runtime/webgpu.ts';
import { KERNEL_CASES, kernelParity, PARITY_TOLERANCE } from '../../../lib/nn/runtime/parity.ts';
import { swiftshaderMissing } from './swiftshader.ts';

const missing = swiftshaderMissing();
process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;

test('webgpu on SwiftShader: adapter, async reads, a clear error for a sync read', { skip: missing && `skipped: ${missing}` }, async () => {
  const lines: string[] = [];
  const info = await initBackend({ backend: 'webgpu', log: (l) => lines.push(l) });
  assert.equal(tf.getBackend(), 'webgpu');
  assert.match(info.adapter!.description, /SwiftShader/);
  assert.equal(info.adapter!.cpu, true);
  assert.match(lines[0], /^tfjs backend: webgpu \(SwiftShader.*a CPU device\) \(from option\)$/);
  // large enough to be computed on the device (small ones with values at hand run on the CPU)
  const x = tf.range(0, 4096);
  const y = await tf.mul(x, 2).data();
  assert.equal(y.length, 4096);
  assert.ok(y.every((v, i) => v === 2 * i));
  assert.throws(() => tf.mul(x, 3).dataSync(), /cannot read a tensor synchronously.*await tensor\.data\(\)/);
});

test('every kernel case agrees with wasm on SwiftShader', { skip: missing && `skipped: ${missing}` }, async () => {
  const results = await kernelParity('webgpu', KERNEL_CASES);
  assert.equal(results.length, KERNEL_CASES.length);
  for (const r of results) assert.ok(r.maxRelDiff <= PARITY_TOLERANCE, `${r.name}: ${r.maxRelDiff}`);
});
