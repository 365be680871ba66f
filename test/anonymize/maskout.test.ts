import { test } from 'node:test';
import assert from 'node:assert/strict';
import { maskOut } from '../../lib/anonymize/maskout.ts';
import { lcgImage, maskFrom, scrambleRegion } from './fixtures.ts';

test('mask-out sets the region to 127 exactly and leaves every other byte', () => {
  const img = lcgImage(11, 17, 13, 3);
  const m = maskFrom(17, 13, (x, y) => x + y < 9 || (x > 12 && y > 6));
  const before = new Uint8Array(img.data);
  const out = maskOut(img, m);
  assert.deepEqual(img.data, before, 'input not mutated');
  assert.notEqual(out.data, img.data);
  for (let p = 0; p < m.length; p++) for (let c = 0; c < 3; c++) assert.equal(out.data[p * 3 + c], m[p] ? 127 : img.data[p * 3 + c]);
});

test('mask-out fill per channel, and on grey and RGBA images', () => {
  const img = lcgImage(12, 6, 4, 3);
  const m = maskFrom(6, 4, (x) => x === 2);
  const out = maskOut(img, m, { fill: [10, 20, 30] });
  assert.deepEqual([...out.data.slice(6, 9)], [10, 20, 30]);
  const grey = lcgImage(13, 6, 4, 1);
  assert.equal(maskOut(grey, m, { fill: 3 }).data[2], 3);
  const rgba = lcgImage(14, 6, 4, 4);
  assert.deepEqual([...maskOut(rgba, m, { fill: [1, 2, 3] }).data.slice(8, 12)], [1, 2, 3, 255]);
  assert.throws(() => maskOut(img, m, { fill: [1, 2] }), /2 values for a 3-channel image/);
  assert.throws(() => maskOut(img, m, { fill: 256 }), /0\.\.255/);
  assert.throws(() => maskOut(img, new Uint8Array(23)), /mask: 23 pixels/);
});

test('mask-out privacy: the output does not depend on the pixels under the mask', () => {
  const img = lcgImage(15, 20, 16, 3);
  const m = maskFrom(20, 16, (x, y) => (x - 5) ** 2 + (y - 8) ** 2 < 30);
  assert.deepEqual(maskOut(scrambleRegion(img, m, 99), m).data, maskOut(img, m).data);
});
