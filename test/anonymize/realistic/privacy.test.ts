// Every generator behind every realistic method: pixels under the regions never influence the
// output (the mask-out privacy test), the output differs from the input only inside the regions,
// and it is reproducible. The DP2 variants of HM and HM-LO read the region's colours by design:
// shown here too, so that the flag they carry (readsRegion) is backed by a test.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRealisticAnonymizer, REALISTIC_METHODS, resolveRealisticParams, type RealisticMethod } from '../../../lib/anonymize/realistic/methods.ts';
import { imageRng } from '../../../lib/anonymize/rng.ts';
import { loadOnnxRuntime } from '../../../lib/anonymize/realistic/onnx-generator.ts';
import { saveTinyBuiltin } from './tiny-builtin-dir.ts';
import { removeOnnxDebugLog, tinyOnnxGenerator } from './onnx-model.ts';
import { sameBytes, scene, scrambled, useWasm } from './helpers.ts';

let dir = '';
let onnxOk = true;
let onnxWhy = '';
before(async () => {
  await useWasm();
  dir = await mkdtemp(join(tmpdir(), 'anon-realistic-'));
  await saveTinyBuiltin(join(dir, 'gen-body'), 'body');
  await saveTinyBuiltin(join(dir, 'gen-face'), 'face');
  await writeFile(join(dir, 'tiny.onnx'), tinyOnnxGenerator(16, 16, 4, [0.9, -0.4, 0.1, 0.2, 0.7, -0.5, -0.3, 0.2, 0.8, 0.5, 0.5, 0.5]));
  try {
    await loadOnnxRuntime();
  } catch (e) {
    onnxOk = false;
    onnxWhy = (e as Error).message;
  }
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
  await removeOnnxDebugLog();
});

const cheap = { samples: 64, centres: 8, maxSteps: 3 };

for (const kind of ['body', 'face'] as const) {
  const gens = () => [`builtin:${join(dir, `gen-${kind}`)}`, 'rerender', `onnx:${join(dir, 'tiny.onnx')}`];
  describe(`realistic ${kind}`, () => {
    for (const method of REALISTIC_METHODS) {
      for (const gi of [0, 1, 2]) {
        test(`${method} with generator #${gi}: region pixels never read (unless -dp2), only regions change, reproducible`, async (t) => {
          const spec = gens()[gi]!;
          if (spec.startsWith('onnx:') && !onnxOk) return t.skip(`onnxruntime-node not available: ${onnxWhy}`);
          const params = resolveRealisticParams(method, { generator: spec, ...cheap, faceSize: [16, 16], bodySize: [24, 16], truncation: spec === 'rerender' ? 'none' : 'multimodal' });
          const an = await createRealisticAnonymizer(method as RealisticMethod, params);
          try {
            const s = scene(kind);
            const a = await an.apply(s.image, s.regions, imageRng(5, 'img'));
            const again = await an.apply(s.image, s.regions, imageRng(5, 'img'));
            assert.ok(sameBytes(a.data, again.data), 'same image, same rng: same bytes');
            const union = new Uint8Array(s.image.width * s.image.height);
            for (const m of s.masks) m.forEach((v, p) => v && (union[p] = 1));
            let changedInside = 0;
            for (let p = 0; p < union.length; p++) {
              for (let c = 0; c < 3; c++) {
                const i = p * 3 + c;
                if (!union[p]) assert.equal(a.data[i], s.image.data[i], `pixel ${p} outside the regions changed`);
                else if (a.data[i] !== s.image.data[i]) changedInside++;
              }
            }
            assert.ok(changedInside > 0, 'the regions were repainted');
            const before = an.hmloRecords.map((r) => r.lossBefore);
            const b = await an.apply(scrambled(s), s.regions, imageRng(5, 'img'));
            const lossesMoved = an.hmloRecords.slice(before.length).some((r, i) => r.lossBefore !== before[i]);
            if (method.endsWith('-dp2')) assert.ok(!sameBytes(a.data, b.data) || lossesMoved, 'the DP2 variant reads the region (its reference includes the person)');
            else assert.ok(sameBytes(a.data, b.data), 'changing pixels under the regions changed the output');
          } finally {
            await an.dispose();
          }
        });
      }
    }
  });
}
