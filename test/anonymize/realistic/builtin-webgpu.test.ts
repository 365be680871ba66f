// The built-in generator on the webgpu backend in Node (SwiftShader, the CPU Vulkan device): its
// mapping network, its generation and HM-LO's steps read their tensors asynchronously (webgpu in
// Node has no synchronous read) and give wasm's numbers up to float32 rounding.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { prepareCrop } from '../../../lib/anonymize/realistic/crop.ts';
import { hmlo } from '../../../lib/anonymize/realistic/hmlo.ts';
import { svHistograms } from '../../../lib/anonymize/realistic/hsv-histogram.ts';
import { sampleZ } from '../../../lib/anonymize/realistic/latent.ts';
import { Rng } from '../../../lib/data/rng.ts';
import { initBackend } from '../../../lib/nn/runtime/backend.ts';
import { SWIFTSHADER_ICD } from '../../../lib/nn/runtime/webgpu.ts';
import { lcgImage } from '../fixtures.ts';
import { swiftshaderMissing } from '../../nn/runtime/swiftshader.ts';
import { scene, tinyBuiltin } from './helpers.ts';

const missing = swiftshaderMissing();
process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;

/** w of three latents, the generated crop of the first, and HM-LO's result on it, on the running backend. */
async function run() {
  const g = tinyBuiltin('body', 5);
  const w = await g.latent.map(sampleZ(new Rng('w'), 3, g.latent.zDim), 3);
  const s = scene('body');
  const crop = prepareCrop(s.image, s.regions[0]!, s.masks[0]!, s.masks[0]!, { width: g.width, height: g.height, keypoints: g.usesKeypoints });
  const [out] = await g.generate([crop.input], w.slice(0, g.latent.wDim));
  const ref = svHistograms(lcgImage(7, 30, 30).data, 1 / 255);
  const h = await hmlo(g, crop.input, w.slice(0, g.latent.wDim), ref, new Rng('unused'), { maxSteps: 5 });
  return { w, out: out!, h };
}

const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol: number) => a.length === b.length && Array.from(a).every((v, i) => Math.abs(v - b[i]!) <= tol * Math.max(1, Math.abs(b[i]!)));

test('the built-in generator and HM-LO on webgpu (SwiftShader) agree with wasm', { skip: missing && `skipped: ${missing}`, timeout: 300_000 }, async () => {
  await initBackend({ backend: 'webgpu', log: false });
  const gpu = await run();
  await initBackend({ backend: 'wasm', log: false });
  const cpu = await run();
  assert.ok(close(gpu.w, cpu.w, 1e-5), 'mapping network');
  assert.ok(close(gpu.out, cpu.out, 1e-4), 'generated crop');
  assert.equal(gpu.h.steps, cpu.h.steps);
  assert.ok(Math.abs(gpu.h.lossAfter - cpu.h.lossAfter) < 1e-3, `HM-LO loss ${gpu.h.lossAfter} vs ${cpu.h.lossAfter}`);
  assert.ok(close(gpu.h.w, cpu.h.w, 1e-3), 'HM-LO w');
});
