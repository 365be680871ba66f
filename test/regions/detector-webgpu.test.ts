// BlazeFace on the webgpu backend in Node (SwiftShader, the CPU Vulkan device): its outputs are
// read asynchronously (webgpu in Node has no synchronous read), and its detections of a synthetic
// street's whole image and head windows are those of wasm, up to float32 rounding.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend } from '../../lib/nn/runtime/backend.ts';
import { SWIFTSHADER_ICD } from '../../lib/nn/runtime/webgpu.ts';
import { loadFaceDetector } from '../../lib/regions/detector.ts';
import type { FaceDetection } from '../../lib/regions/face-detector.ts';
import { swiftshaderMissing } from '../nn/runtime/swiftshader.ts';
import { streetWindows } from './street-windows.ts';

const missing = swiftshaderMissing();
process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;

async function detections(): Promise<{ backend: string; found: FaceDetection[][] }> {
  const { img, windows } = streetWindows(false);
  const det = await loadFaceDetector();
  try {
    return { backend: det.backend, found: await det.detectWindows!(img, windows, { scoreThreshold: 0.3 }) };
  } finally {
    det.dispose();
  }
}

test('BlazeFace on webgpu (SwiftShader) finds what it finds on wasm', { skip: missing && `skipped: ${missing}`, timeout: 300_000 }, async () => {
  await initBackend({ backend: 'webgpu', log: false });
  const gpu = await detections();
  assert.equal(gpu.backend, 'webgpu');
  await initBackend({ backend: 'wasm', log: false });
  const cpu = await detections();
  assert.equal(cpu.backend, 'wasm');
  assert.ok(cpu.found.some((d) => d.length > 0), 'no detection at all: nothing was compared');
  assert.deepEqual(gpu.found.map((d) => d.length), cpu.found.map((d) => d.length));
  cpu.found.forEach((ds, w) =>
    ds.forEach((d, k) => {
      const g = gpu.found[w]![k]!;
      assert.ok(Math.abs(g.score - d.score) < 1e-3, `window ${w} detection ${k}: score ${g.score} vs ${d.score}`);
      d.box.forEach((v, j) => assert.ok(Math.abs(g.box[j]! - v) < 0.05, `window ${w} detection ${k}: box ${g.box} vs ${d.box}`));
    }),
  );
});
