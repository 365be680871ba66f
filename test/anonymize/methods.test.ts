import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';
import { decodeImage, type Image } from '../../lib/data/image.ts';
import { getMethod, METHOD_NAMES, methods, resolveParams } from '../../lib/anonymize/methods.ts';
import { differingPixels, lcgImage, maskFrom, regionBytes, scrambleRegion } from './fixtures.ts';

test('registry: every method by name, with its defaults', () => {
  assert.deepEqual([...METHOD_NAMES].sort(), Object.keys(methods).sort());
  assert.deepEqual(methods.maskout.defaults, { fill: 127 });
  assert.deepEqual(methods.cropout.defaults, { fill: 0 });
  assert.deepEqual(methods.blur.defaults, { sigma: 7, variant: 'native' });
  assert.deepEqual(methods.pixelate.defaults, { block: 16, average: 'block' });
  assert.deepEqual(methods.inpaint.defaults, { radius: 5 });
  assert.equal(getMethod('blur').name, 'blur');
  assert.throws(() => getMethod('deepprivacy'), /unknown anonymization method 'deepprivacy' \(known: maskout, blur/);
  assert.deepEqual(resolveParams('blur', { sigma: 3 }), { sigma: 3, variant: 'native' });
  assert.throws(() => resolveParams('blur', { block: 3 }), /blur: bad parameters: .*block/);
  assert.throws(() => resolveParams('pixelate', { block: 0 }), /pixelate: bad parameters: block/);
  assert.throws(() => resolveParams('blur', { ksize: 4 }), /ksize must be odd/);
  assert.throws(() => resolveParams('maskout', { fill: 300 }), /maskout: bad parameters: fill/);
});

const W = 48;
const H = 36;
const img = lcgImage(51, W, H, 3);
const masks = {
  interior: maskFrom(W, H, (x, y) => (x - 24) ** 2 / 64 + (y - 18) ** 2 / 144 <= 1),
  border: maskFrom(W, H, (x, y) => x < 8 || (y > 30 && x > 40)),
};

test('every method: a new image, the input untouched, nothing outside the mask changed', () => {
  for (const name of METHOD_NAMES) {
    for (const m of Object.values(masks)) {
      const before = new Uint8Array(img.data);
      const out = methods[name].apply(img, m);
      assert.deepEqual(img.data, before, `${name} mutated its input`);
      assert.notEqual(out.data, img.data);
      assert.equal(out.data.length, img.data.length);
      for (const p of differingPixels(img, out)) assert.equal(m[p], 1, `${name} changed pixel ${p} outside the mask`);
      assert.ok(differingPixels(img, out).length > 0, `${name} changed nothing`);
      // same input, same bytes
      assert.deepEqual(methods[name].apply(img, m).data, out.data);
    }
  }
});

test('privacy: mask-out, crop-out and inpaint never depend on the pixels under the mask; blur and pixelate do', () => {
  for (const name of METHOD_NAMES) {
    const method = methods[name];
    for (const m of Object.values(masks)) {
      const a = method.apply(img, m);
      const b = method.apply(scrambleRegion(img, m, 77), m);
      if (method.readsRegion) assert.notDeepEqual(a.data, b.data, `${name} should read its region`);
      else assert.deepEqual(a.data, b.data, `${name} output depends on the region's pixels`);
    }
  }
  assert.deepEqual(
    METHOD_NAMES.filter((n) => !methods[n].readsRegion),
    ['maskout', 'cropout', 'inpaint'],
  );
});

const astronaut = fileURLToPath(new URL('../../../shared/data/photos/astronaut.png', import.meta.url));

test('smoke: every method on the astronaut photo', async (t) => {
  if (!existsSync(astronaut)) {
    t.skip(`../shared/data not found: ${astronaut}`);
    return;
  }
  const photo = await decodeImage(astronaut, 3);
  assert.equal(photo.width, 512);
  // an ellipse over the face and shoulders
  const m = maskFrom(photo.width, photo.height, (x, y) => (x - 250) ** 2 / 80 ** 2 + (y - 200) ** 2 / 120 ** 2 <= 1);
  for (const name of METHOD_NAMES) {
    const out = methods[name].apply(photo, m);
    const changed = differingPixels(photo, out);
    for (const p of changed) assert.equal(m[p], 1, name);
    assert.ok(changed.length > 0.9 * m.reduce((a, b) => a + b, 0) || name === 'pixelate', `${name}: ${changed.length} changed`);
  }
  // Byte-exact with OpenCV on a real photo: sha256 of the region's RGB bytes (raster order) of
  // cv2.inpaint(rgb, mask, 5, cv2.INPAINT_TELEA) and cv2.GaussianBlur(rgb, (21, 21), 7,
  // borderType=cv2.BORDER_REFLECT_101), rgb = cv2.cvtColor(cv2.imread(path), cv2.COLOR_BGR2RGB).
  assert.equal(m.reduce((a, b) => a + b, 0), 30137);
  const digest = (im: Image) => createHash('sha256').update(regionBytes(im, m)).digest('hex');
  assert.equal(digest(methods.inpaint.apply(photo, m)), 'aff7c6167186516b318cb3346fbbadf4e9bbcda7b669e9a37182a3fa33cb9961');
  assert.equal(digest(methods.blur.apply(photo, m)), 'd97cebdb6846b70631f77c3c006a9a38b9ec870eab3f53310dbbd16f687a8155');
});
