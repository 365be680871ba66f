// Realistic licence plates: the re-render generator paints a new plate (random characters, the
// synthetic set's plate painting) into the plate box; with plate regions a realistic method uses
// it when asked (plateGenerator) or when it re-renders everything, never reads the plate's own
// pixels, and refuses plates when no generator makes them.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRealisticAnonymizer, resolveRealisticParams } from '../../../lib/anonymize/realistic/methods.ts';
import { plateGeneratorOf, realisticPlateProblem } from '../../../lib/anonymize/realistic/plate-generator.ts';
import { rerenderGenerator } from '../../../lib/anonymize/realistic/rerender-generator.ts';
import { plateFromLatent } from '../../../lib/anonymize/realistic/rerender-plate.ts';
import { imageRng } from '../../../lib/anonymize/rng.ts';
import { decode } from '../../../lib/data/masks/index.ts';
import { PLATE_WHITE, PLATE_YELLOW } from '../../../lib/data/synth/plate.ts';
import type { Sample } from '../../../lib/data/types.ts';
import { plateRegions } from '../../../lib/regions/plate.ts';
import { lcgImage } from '../fixtures.ts';
import { sameBytes, scene, useWasm } from './helpers.ts';
import { saveTinyBuiltin } from './tiny-builtin-dir.ts';

const W = 64;
const H = 48;
let dir = '';
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'anon-plate-realistic-'));
});
after(() => rm(dir, { recursive: true, force: true }));

/** Two plates on the helpers' scene image (64 x 48 noise). */
function plates() {
  const sample: Sample = { id: 's', file: 's.png', width: W, height: H, instances: [], plates: [{ id: 7, box: [4, 36, 24, 5] }, { id: 8, box: [40, 6, 12, 3] }] };
  const { regions } = plateRegions(sample);
  return { image: lcgImage(11, W, H), regions, masks: regions.map((r) => decode(r.mask)) };
}

test('the re-render generator paints a new plate of the plate colours into the mask box', async () => {
  const g = rerenderGenerator({ kind: 'plate' });
  assert.deepEqual([g.height, g.width], [32, 128]);
  const mask = new Uint8Array(128 * 32);
  for (let y = 8; y < 24; y++) for (let x = 16; x < 112; x++) mask[y * 128 + x] = 1;
  const image = new Uint8Array(128 * 32 * 3).fill(60);
  for (let p = 0; p < mask.length; p++) if (mask[p]) image.fill(0, p * 3, p * 3 + 3);
  const w = Float32Array.of(0.1, -0.2, 0.3, 0.4);
  const [out] = await g.generate([{ image, mask }], w);
  const plate = plateFromLatent(w);
  assert.match(plate.text, /^[A-Z0-9]{1,3}[- ]?[A-Z0-9]+$/);
  assert.ok([PLATE_WHITE, PLATE_YELLOW].includes(plate.color));
  const px = (x: number, y: number) => [0, 1, 2].map((c) => Math.round(out![(y * 128 + x) * 3 + c]! * 255));
  assert.deepEqual(px(18, 12), plate.color, 'the plate colour inside the box');
  assert.deepEqual(px(16, 8), [20, 20, 24], 'a dark border');
  assert.deepEqual(px(2, 2), [60, 60, 60], 'the context as it was');
  let dark = 0;
  for (let y = 11; y < 21; y++) for (let x = 24; x < 104; x++) if (px(x, y)[0]! < 40) dark++;
  assert.ok(dark > 50, `${dark} character pixels`);
  assert.deepEqual(plateFromLatent(w), plate, 'the latent decides the plate');
});

test('realistic with generator rerender: plates repainted, nothing else, region pixels never read, reproducible', async () => {
  for (const method of ['realistic', 'realistic+hm'] as const) {
    const an = await createRealisticAnonymizer(method, resolveRealisticParams(method, { generator: 'rerender', plateSize: [16, 64], truncation: 'none' }));
    try {
      const s = plates();
      const a = await an.apply(s.image, s.regions, imageRng(3, 's'));
      assert.ok(sameBytes(a.data, (await an.apply(s.image, s.regions, imageRng(3, 's'))).data));
      const scrambled = { ...s.image, data: new Uint8Array(s.image.data) };
      const other = lcgImage(99, W, H);
      for (const m of s.masks) m.forEach((v, p) => v && scrambled.data.set(other.data.subarray(p * 3, p * 3 + 3), p * 3));
      assert.ok(sameBytes(a.data, (await an.apply(scrambled, s.regions, imageRng(3, 's'))).data), 'the plates pixels were read');
      for (const [k, m] of s.masks.entries()) {
        let inside = 0;
        for (let p = 0; p < W * H; p++) {
          const diff = [0, 1, 2].some((c) => a.data[p * 3 + c] !== s.image.data[p * 3 + c]);
          if (!s.masks.some((q) => q[p])) assert.ok(!diff, `pixel ${p} outside the plates changed`);
          else if (m[p] && diff) inside++;
        }
        assert.ok(inside > 0, `${method}: plate ${k} repainted`);
      }
    } finally {
      await an.dispose();
    }
  }
});

test('face+plate with the built-in face generator: plates by plateGenerator rerender, refused without it', async () => {
  await useWasm();
  await saveTinyBuiltin(join(dir, 'gen-face'), 'face');
  const face = scene('face');
  const p = plates();
  const regions = [face.regions[1]!, ...p.regions.slice(0, 1)];
  const generator = `builtin:${join(dir, 'gen-face')}`;
  const params = resolveRealisticParams('realistic', { generator, plateGenerator: 'rerender', faceSize: [16, 16], samples: 16, centres: 4 });
  const an = await createRealisticAnonymizer('realistic', params);
  try {
    const out = await an.apply(face.image, regions, imageRng(1, 's'));
    for (const r of regions) {
      const m = decode(r.mask);
      let changed = 0;
      for (let q = 0; q < W * H; q++) if (m[q] && [0, 1, 2].some((c) => out.data[q * 3 + c] !== face.image.data[q * 3 + c])) changed++;
      assert.ok(changed > 0, `${r.kind} region repainted`);
    }
  } finally {
    await an.dispose();
  }
  const without = await createRealisticAnonymizer('realistic', resolveRealisticParams('realistic', { generator, faceSize: [16, 16], samples: 16, centres: 4 }));
  try {
    await assert.rejects(without.apply(face.image, regions, imageRng(1, 's')), new RegExp(`realistic: no generator for licence plates \\(region kind 'plate'\\): generator ${generator.replace(/[/.+]/g, '\\$&')} makes faces or bodies`));
  } finally {
    await without.dispose();
  }
});

test('which generator makes plates, and what a run with plates is refused for', () => {
  assert.equal(plateGeneratorOf({ generator: 'rerender' }), 'rerender');
  assert.equal(plateGeneratorOf({ generator: 'builtin:/g', plateGenerator: 'rerender' }), 'rerender');
  assert.equal(plateGeneratorOf({ generator: 'builtin:/g' }), undefined);
  assert.equal(plateGeneratorOf({ generator: 'rerender', plateGenerator: 'onnx:/x' }), undefined);
  assert.equal(realisticPlateProblem('blur', {}, 'plate'), undefined);
  assert.equal(realisticPlateProblem('realistic', { generator: 'builtin:/g' }, 'face'), undefined);
  assert.equal(realisticPlateProblem('realistic', { generator: 'rerender' }, 'face+plate'), undefined);
  assert.match(realisticPlateProblem('realistic+hmlo', {}, 'body+plate')!, /^realistic\+hmlo: no generator for licence plates .*the built-in generator makes faces or bodies/);
  assert.throws(() => resolveRealisticParams('realistic', { generator: 'rerender', plateGenerator: 'builtin:/g' }), /plateGenerator/);
});
