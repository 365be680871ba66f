// HM-LO lowers the S/V histogram loss: with gradients (Adam on w, the paper's lr 1e-3 and
// 100 steps) on a set of crops of a built-in generator, and by the seeded random search for a
// generator without gradients (never worse than where it started, by construction). The figures
// are reported as test diagnostics: "lowered on X of Y crops, mean loss A -> B".
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { prepareCrop } from '../../../lib/anonymize/realistic/crop.ts';
import { hmlo } from '../../../lib/anonymize/realistic/hmlo.ts';
import { hmloLoss, svHistograms } from '../../../lib/anonymize/realistic/hsv-histogram.ts';
import { sampleZ } from '../../../lib/anonymize/realistic/latent.ts';
import { rerenderGenerator } from '../../../lib/anonymize/realistic/rerender-generator.ts';
import type { Generator } from '../../../lib/anonymize/realistic/generator.ts';
import { Rng } from '../../../lib/data/rng.ts';
import { lcgImage } from '../fixtures.ts';
import { scene, tinyBuiltin, useWasm } from './helpers.ts';

before(() => useWasm());

/** Crops of the test scene with references made darker, lighter or greyer than the scene. */
function crops(g: Generator, n: number) {
  const s = scene('body');
  const out = [];
  for (let i = 0; i < n; i++) {
    const r = s.regions[i % 2]!;
    const m = s.masks[i % 2]!;
    const crop = prepareCrop(s.image, r, m, m, { width: g.width, height: g.height, keypoints: g.usesKeypoints });
    const ref = lcgImage(100 + i, 30, 30);
    const k = [0.3, 0.6, 1, 1.4][i % 4]!;
    for (let j = 0; j < ref.data.length; j++) ref.data[j] = Math.min(255, Math.round(ref.data[j]! * k));
    out.push({ input: crop.input, ref: svHistograms(ref.data, 1 / 255) });
  }
  return out;
}

test('HM-LO with gradients (Adam, lr 1e-3, up to 100 steps) lowers the loss', async (t) => {
  const g = tinyBuiltin('body', 5);
  const set = crops(g, 4);
  let lowered = 0;
  let before = 0;
  let afterSum = 0;
  for (const [i, c] of set.entries()) {
    const w = await g.latent.map(sampleZ(new Rng(`w${i}`), 1, g.latent.zDim), 1);
    const r = await hmlo(g, c.input, w, c.ref, new Rng('unused'));
    assert.equal(r.method, 'adam');
    assert.ok(r.steps <= 100);
    // the reported losses are the loss of what is returned
    assert.ok(Math.abs(hmloLoss(c.ref, r.output) - r.lossAfter) < 2e-3, `${hmloLoss(c.ref, r.output)} vs ${r.lossAfter}`);
    if (r.lossAfter < r.lossBefore) lowered++;
    before += r.lossBefore;
    afterSum += r.lossAfter;
  }
  t.diagnostic(`adam: lowered on ${lowered} of ${set.length} crops, mean loss ${(before / set.length).toFixed(4)} -> ${(afterSum / set.length).toFixed(4)}`);
  assert.ok(lowered >= set.length - 1, `lowered on ${lowered} of ${set.length}`);
  assert.ok(afterSum < before);
  g.dispose();
});

test('HM-LO stops at once when the loss is already under the threshold', async () => {
  const g = tinyBuiltin('body', 5);
  const c = crops(g, 1)[0]!;
  const w = await g.latent.map(sampleZ(new Rng('w'), 1, g.latent.zDim), 1);
  const r = await hmlo(g, c.input, w, c.ref, new Rng('x'), { threshold: 1e9 });
  assert.equal(r.steps, 0);
  assert.equal(r.lossAfter, r.lossBefore);
  assert.deepEqual(r.w, w);
  g.dispose();
});

test('HM-LO without gradients: seeded random search, never worse, usually better', async (t) => {
  const g = rerenderGenerator({ kind: 'body', size: [24, 16] });
  const set = crops(g, 4);
  let lowered = 0;
  let before = 0;
  let afterSum = 0;
  for (const [i, c] of set.entries()) {
    const w = sampleZ(new Rng(`s${i}`), 1, 4);
    const r = await hmlo(g, c.input, w, c.ref, new Rng(`search${i}`), { maxSteps: 16 });
    const again = await hmlo(g, c.input, w, c.ref, new Rng(`search${i}`), { maxSteps: 16 });
    assert.deepEqual(again.w, r.w, 'same seed, same search');
    assert.equal(r.method, 'search');
    assert.ok(r.steps <= 16);
    assert.ok(r.lossAfter <= r.lossBefore);
    if (r.lossAfter < r.lossBefore) lowered++;
    before += r.lossBefore;
    afterSum += r.lossAfter;
  }
  t.diagnostic(`search: lowered on ${lowered} of ${set.length} crops, mean loss ${(before / set.length).toFixed(4)} -> ${(afterSum / set.length).toFixed(4)}`);
  assert.ok(lowered >= set.length / 2, `lowered on ${lowered} of ${set.length}`);
});
