// The runner's Anonymizer: methods of methods.ts applied to the union of an image's regions
// (pixelate and DP2 blur once per region), and the realistic methods reached by name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { anonymizerNames, createAnonymizer, paintRle, resolveAnonymizerParams, unionMask } from '../../lib/anonymize/anonymizer.ts';
import { methods } from '../../lib/anonymize/methods.ts';
import { imageRng } from '../../lib/anonymize/rng.ts';
import { decode, encode } from '../../lib/data/masks/index.ts';
import type { Region } from '../../lib/regions/region.ts';
import { lcgImage } from './fixtures.ts';

const W = 40;
const H = 30;

function region(id: number, inside: (x: number, y: number) => boolean): Region {
  const m = new Uint8Array(W * H);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) m[y * W + x] = inside(x, y) ? 1 : 0;
  const mask = encode(m, H, W);
  return { sampleId: 's', instanceId: id, kind: 'body', mask, box: [0, 0, 0, 0], source: 'mask' };
}

const r1 = region(1, (x, y) => x >= 5 && x < 18 && y >= 3 && y < 25);
const r2 = region(2, (x, y) => (x - 25) ** 2 + (y - 15) ** 2 < 60); // overlaps nothing of r1
const r3 = region(3, (x, y) => x >= 15 && x < 28 && y >= 10 && y < 20); // overlaps both

test('paintRle / unionMask: the OR of the decoded masks, row-major', () => {
  const u = unionMask([r1, r2, r3], W, H);
  const want = new Uint8Array(W * H);
  for (const r of [r1, r2, r3]) decode(r.mask).forEach((v, i) => (want[i] = want[i]! | v));
  assert.deepEqual(u, want);
  assert.throws(() => paintRle(r1.mask, new Uint8Array(10)), /region mask is 40x30/);
  assert.throws(() => unionMask([r1], W + 1, H), /region of instance 1 is 40x30, the image is 41x30/);
});

test('createAnonymizer: union of regions for maskout/cropout/blur/inpaint, one region after another for pixelate and DP2 blur', async () => {
  const img = lcgImage(9, W, H, 3);
  const regions = [r1, r2, r3];
  const union = unionMask(regions, W, H);
  const rng = imageRng(0, 's');
  for (const [name, params] of [
    ['maskout', {}],
    ['cropout', { fill: [1, 2, 3] }],
    ['blur', { sigma: 2 }],
    ['inpaint', { radius: 3 }],
  ] as const) {
    const a = await createAnonymizer(name, params);
    assert.deepEqual(await a.apply(img, regions, rng), methods[name].apply(img, union, params as never), name);
  }
  for (const [name, params] of [
    ['pixelate', { block: 4 }],
    ['blur', { sigma: 2, variant: 'deepprivacy2' }],
  ] as const) {
    const a = await createAnonymizer(name, params);
    let want = img;
    for (const r of regions) want = methods[name].apply(want, decode(r.mask), params as never);
    const got = await a.apply(img, regions, rng);
    assert.deepEqual(got, want, name);
    assert.notDeepEqual(got, methods[name].apply(img, union, params as never), `${name}: per region differs from the union here`);
  }
  const none = await (await createAnonymizer('maskout')).apply(img, [], rng);
  assert.deepEqual(none, img);
  assert.notEqual(none.data, img.data, 'a copy, never the input itself');
});

test('methods by name: the five of methods.ts and the realistic ones; unknown names and bad parameters are errors', async () => {
  const names = anonymizerNames();
  for (const n of ['maskout', 'blur', 'pixelate', 'cropout', 'inpaint', 'realistic', 'realistic+hm', 'realistic+hmlo']) assert.ok(names.includes(n), n);
  assert.deepEqual(await resolveAnonymizerParams('blur', {}), { sigma: 7, variant: 'native' });
  const p = await resolveAnonymizerParams('realistic+hm', { generator: 'rerender' });
  assert.equal(p.generator, 'rerender');
  await assert.rejects(resolveAnonymizerParams('realistic', {}), /generator/);
  await assert.rejects(resolveAnonymizerParams('smudge', {}), /unknown anonymization method 'smudge'/);
  await assert.rejects(createAnonymizer('maskout', { sigma: 1 }), /maskout: bad parameters/);
});
