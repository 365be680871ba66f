// The ONNX generator on a tiny model written in the test (onnx-model.ts): sizes read from the
// model's static shapes, the I/O convention (condition in [-1, 1] times the context mask, mask
// 1 = context, z), output in [0, 1], sidecar renaming, clear errors. Skipped with a message when
// onnxruntime-node could not be installed.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOnnxGenerator, loadOnnxRuntime } from '../../../lib/anonymize/realistic/onnx-generator.ts';
import { removeOnnxDebugLog, tinyOnnxGenerator } from './onnx-model.ts';

let dir = '';
let why = '';
const Wz = [0.9, -0.4, 0.1, 0.2, 0.7, -0.5, -0.3, 0.2, 0.8, 0.5, 0.5, 0.5];
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'anon-onnx-'));
  await writeFile(join(dir, 'g.onnx'), tinyOnnxGenerator(6, 5, 4, Wz));
  try {
    await loadOnnxRuntime();
  } catch (e) {
    why = (e as Error).message;
  }
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
  await removeOnnxDebugLog();
});

test('runs an ONNX generator with the documented I/O convention', async (t) => {
  if (why) return t.skip(`onnxruntime-node is not available: ${why}`);
  const g = await loadOnnxGenerator(join(dir, 'g.onnx'));
  try {
    assert.equal(g.width, 5);
    assert.equal(g.height, 6);
    assert.deepEqual([g.latent.kind, g.latent.zDim, g.latent.wDim], ['z', 4, 4]);
    assert.equal(g.usesKeypoints, false);
    const image = new Uint8Array(30 * 3);
    const mask = new Uint8Array(30);
    for (let i = 0; i < 30; i++) for (let c = 0; c < 3; c++) image[i * 3 + c] = (i * 7 + c * 50) % 256;
    for (const p of [7, 8, 12, 13]) {
      mask[p] = 1;
      image[p * 3] = image[p * 3 + 1] = image[p * 3 + 2] = 0;
    }
    const z = Float32Array.from([0.3, -1.2, 0.5, 0.8, -0.1, 0.2, 0.4, 0.0]);
    const [a, b] = await g.generate([{ image, mask }, { image, mask }], z);
    for (const [out, zo] of [[a!, 0], [b!, 4]] as const) {
      const zc = [0, 1, 2].map((c) => [0, 1, 2, 3].reduce((s, k) => s + z[zo + k]! * Wz[k * 3 + c]!, 0));
      for (let i = 0; i < 30; i++) {
        for (let c = 0; c < 3; c++) {
          const want = mask[i] ? (Math.tanh(zc[c]!) + 1) / 2 : image[i * 3 + c]! / 255;
          assert.ok(Math.abs(out[i * 3 + c]! - want) < 1e-5, `pixel ${i} channel ${c}: ${out[i * 3 + c]} vs ${want}`);
        }
      }
    }
    await assert.rejects(g.generate([{ image, mask }], new Float32Array(3)), /3 latent values for 1 crops/);
  } finally {
    g.dispose();
  }
});

test('a sidecar renames the inputs; a missing input is a clear error', async (t) => {
  if (why) return t.skip(`onnxruntime-node is not available: ${why}`);
  await writeFile(join(dir, 'g.onnx.json'), JSON.stringify({ kind: 'face', inputs: { latent: 'w' } }));
  await assert.rejects(loadOnnxGenerator(join(dir, 'g.onnx')), /the model has no input 'w' \(latent\); its inputs are condition, mask, z/);
  await writeFile(join(dir, 'g.onnx.json'), JSON.stringify({ kind: 'face' }));
  const g = await loadOnnxGenerator(join(dir, 'g.onnx'));
  assert.equal(g.kind, 'face');
  g.dispose();
  await rm(join(dir, 'g.onnx.json'));
  await assert.rejects(loadOnnxGenerator(join(dir, 'missing.onnx')), /ONNX model not found/);
  await writeFile(join(dir, 'bad.onnx'), new Uint8Array([1, 2, 3]));
  await assert.rejects(loadOnnxGenerator(join(dir, 'bad.onnx')), /onnxruntime cannot load the model/);
});
