// `anon-impact backends --check` on SwiftShader: webgpu loads on the CPU Vulkan device and agrees
// with wasm on every custom kernel and on one training step of each task model.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { BIN } from './fixtures.ts';
import { SWIFTSHADER_ICD } from '../../lib/nn/runtime/webgpu.ts';
import { swiftshaderMissing } from '../nn/runtime/swiftshader.ts';
import { KERNEL_CASES } from '../../lib/nn/runtime/parity.ts';

const missing = swiftshaderMissing();

function backends(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, 'backends', ...args], { env }, (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }));
  });
}

test('backends lists every backend and the automatic choice', async () => {
  const r = await backends(['--only', 'wasm,cpu'], { ...process.env });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^wasm +loads +CPU, WebAssembly SIMD (on|off), anon-impact training kernels$/m);
  assert.match(r.stdout, /^cpu +loads +CPU, plain JavaScript$/m);
  const bad = await backends(['--only', 'webgl'], { ...process.env });
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /--only: unknown backend 'webgl'/);
});

test('backends --check: webgpu on SwiftShader agrees with wasm', { skip: missing && `skipped: ${missing}` }, async () => {
  const r = await backends(['--check', '--only', 'webgpu'], { ...process.env, VK_ICD_FILENAMES: SWIFTSHADER_ICD });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /^webgpu +loads +SwiftShader driver/m);
  const kernels = r.stdout.match(/^ {2}kernel .* ok {2}\(/gm) ?? [];
  // every kernel case, and the softmax cross-entropy's
  assert.equal(kernels.length, KERNEL_CASES.length + 1, r.stdout);
  assert.match(r.stdout, /^ {2}kernel +depthwise conv 5x5 same .* ok {2}\(DepthwiseConv2dNativeBackpropInput, DepthwiseConv2dNativeBackpropFilter\)$/m);
  for (const task of ['semseg', 'instances', 'keypoints']) assert.match(r.stdout, new RegExp(`^  step +${task} step, .* ok$`, 'm'));
});
