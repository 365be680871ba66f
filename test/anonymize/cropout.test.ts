import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cropOut } from '../../lib/anonymize/cropout.ts';
import { lcgImage, maskFrom, scrambleRegion } from './fixtures.ts';

test('crop-out leaves black in the region and the input elsewhere', () => {
  const img = lcgImage(21, 15, 10, 3);
  const m = maskFrom(15, 10, (x, y) => y === 0 || x === 14);
  const before = new Uint8Array(img.data);
  const out = cropOut(img, m);
  assert.deepEqual(img.data, before);
  for (let p = 0; p < m.length; p++) for (let c = 0; c < 3; c++) assert.equal(out.data[p * 3 + c], m[p] ? 0 : img.data[p * 3 + c]);
  assert.deepEqual([...cropOut(img, m, { fill: [255, 0, 0] }).data.slice(0, 3)], [255, 0, 0]);
});

test('crop-out privacy: the output does not depend on the pixels under the mask', () => {
  const img = lcgImage(22, 20, 16, 3);
  const m = maskFrom(20, 16, (x, y) => x < 7 && y > 3);
  assert.deepEqual(cropOut(scrambleRegion(img, m, 7), m).data, cropOut(img, m).data);
});
