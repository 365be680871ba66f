import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pixelate } from '../../lib/anonymize/pixelate.ts';
import { differingPixels, lcgImage, maskFrom } from './fixtures.ts';

// A 6x4 grey image 0..23 (value = 6*y + x) and a mask covering columns 1..5 of rows 1..3
// except (5, 3). Box: x 1..5, y 1..3. Block 2: blocks x {1,2},{3,4},{5}; y {1,2},{3}.
const grey = { width: 6, height: 4, channels: 1, data: Uint8Array.from({ length: 24 }, (_, i) => i) };
const mask = maskFrom(6, 4, (x, y) => x >= 1 && y >= 1 && !(x === 5 && y === 3));

test('pixelate: block means over the grid aligned to the box, rounded half up', () => {
  const out = pixelate(grey, mask, { block: 2 });
  // block x1-2,y1-2: 7 8 13 14 -> 10.5 -> 11; x3-4,y1-2: 9 10 15 16 -> 12.5 -> 13; x5,y1-2: 11 17 -> 14
  // block x1-2,y3: 19 20 -> 19.5 -> 20; x3-4,y3: 21 22 -> 21.5 -> 22; x5,y3: 23 -> 23 but (5,3) is outside the mask
  const want = [0, 1, 2, 3, 4, 5, 6, 11, 11, 13, 13, 14, 12, 11, 11, 13, 13, 14, 18, 20, 20, 22, 22, 23];
  assert.deepEqual([...out.data], want);
});

test("pixelate average 'region' ignores block pixels outside the mask", () => {
  const m = maskFrom(6, 4, (x, y) => (x === 1 && y === 1) || (x === 2 && y === 2));
  const a = pixelate(grey, m, { block: 2 }); // box x1-2, y1-2: one block, mean of 7 8 13 14 = 10.5 -> 11
  assert.equal(a.data[7], 11);
  assert.equal(a.data[14], 11);
  assert.equal(a.data[8], 8);
  const r = pixelate(grey, m, { block: 2, average: 'region' }); // mean of 7 and 14 = 10.5 -> 11
  assert.equal(r.data[7], 11);
  const r3 = pixelate(grey, maskFrom(6, 4, (x, y) => (x === 1 && y === 1) || (x === 1 && y === 2)), { block: 4, average: 'region' });
  assert.equal(r3.data[7], 10); // 7 and 13
});

test('pixelate default block 16, RGB, only the region changes, input untouched', () => {
  const img = lcgImage(31, 40, 36, 3);
  const m = maskFrom(40, 36, (x, y) => (x - 20) ** 2 + (y - 18) ** 2 < 150);
  const before = new Uint8Array(img.data);
  const out = pixelate(img, m);
  assert.deepEqual(img.data, before);
  for (const p of differingPixels(img, out)) assert.equal(m[p], 1);
  // the box starts at (8, 6): pixels (8, 10) and (23, 21) share the first block, (24, 10) does not
  const at = (x: number, y: number) => [...out.data.slice((y * 40 + x) * 3, (y * 40 + x) * 3 + 3)];
  assert.deepEqual(at(9, 14), at(23, 21));
  assert.notDeepEqual(at(23, 14), at(24, 14));
  assert.throws(() => pixelate(img, m, { block: 0 }), /block/);
});
