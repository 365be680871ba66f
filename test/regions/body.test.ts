import { test } from 'node:test';
import assert from 'node:assert/strict';
import { area, toBbox } from '../../lib/data/masks/index.ts';
import { bodyRegions } from '../../lib/regions/body.ts';
import { dilate } from '../../lib/regions/dilate.ts';
import { keypoints, rectMask, sample } from './fixtures.ts';

// 100 wide x 200 high. Person 1's DP2 crop is [8, 7, 33, 50) (25x43, area 1075, radius 1: see
// dp2-crop.test.ts); person 7's (4x6 px) is [50, 100, 55, 108) (5x8, area 40):
// e = int(sqrt(24) * 0.1) = 0; 6 / 4 < 1.8: height int(4 * 1.8) = 7 -> [100, 107);
// 24 / 28 = 0.857 -> p = sqrt((24 / 0.7) / 28) = 1.1066, width ceil(4.43) = 5, height ceil(7.75) = 8.
const S = sample(100, 200, [
  { id: 1, rect: [10, 10, 30, 46] },
  { id: 2, rect: [40, 10, 60, 40], iscrowd: true },
  { id: 3, rect: [70, 10, 90, 40], ignore: true },
  { id: 4, rect: [10, 60, 40, 80], category: 'car' },
  { id: 5, rect: [50, 60, 60, 90], category: 'rider' },
  { id: 6, rect: [0, 0, 0, 0] },
  { id: 7, rect: [50, 100, 54, 106] },
]);

test('crowd, ignored and empty instances are skipped with their reason; other categories get no record', () => {
  const { regions, records } = bodyRegions(S);
  assert.deepEqual(records, [
    { instanceId: 1, kind: 'body', status: 'anonymized', source: 'mask' },
    { instanceId: 2, kind: 'body', status: 'skipped', reason: 'crowd' },
    { instanceId: 3, kind: 'body', status: 'skipped', reason: 'ignored' },
    { instanceId: 6, kind: 'body', status: 'skipped', reason: 'empty mask' },
    { instanceId: 7, kind: 'body', status: 'anonymized', source: 'mask' },
  ]);
  assert.deepEqual(
    regions.map((r) => r.instanceId),
    [1, 7],
  );
});

test('the default dilation is DP2 radius per instance; region box and crop box', () => {
  const { regions } = bodyRegions(S);
  const r1 = regions[0];
  assert.equal(r1.sampleId, 's1');
  assert.equal(r1.kind, 'body');
  assert.equal(r1.dilation, 1);
  assert.deepEqual(r1.mask, dilate(rectMask(100, 200, 10, 10, 30, 46), 1));
  assert.deepEqual(r1.box, [9, 9, 22, 38]);
  assert.deepEqual(r1.cropBox, [8, 7, 25, 43]);
  // 4x6 person: crop 5x8 -> 4 * sqrt(40 / 46080) = 0.118 -> radius 0, mask unchanged
  assert.equal(regions[1].dilation, 0);
  assert.deepEqual(regions[1].mask, rectMask(100, 200, 50, 100, 54, 106));
  assert.deepEqual(regions[1].cropBox, [50, 100, 5, 8]);
});

test('fixed radius, and radius 0', () => {
  const r3 = bodyRegions(S, { dilation: 3 }).regions[0];
  assert.equal(r3.dilation, 3);
  assert.deepEqual(r3.mask, dilate(rectMask(100, 200, 10, 10, 30, 46), 3));
  // rectangle + 4 bands of 3 + 4 corners of the disk's (dx, dy >= 1) quarter: (1,1) (1,2) (2,1) (2,2)
  assert.equal(area(r3.mask), 20 * 36 + 2 * 3 * (20 + 36) + 4 * 4);
  const r0 = bodyRegions(S, { dilation: 0 }).regions[0];
  assert.deepEqual(r0.mask, rectMask(100, 200, 10, 10, 30, 46));
  assert.deepEqual(toBbox(r0.mask), [10, 10, 20, 36]);
  assert.throws(() => bodyRegions(S, { dilation: -1 }), /integer radius >= 0/);
  assert.throws(() => bodyRegions(S, { dilation: 2.5 }), /integer radius >= 0/);
});

test('categories from the manifest: rider included on request', () => {
  const { records } = bodyRegions(S, { categories: ['person', 'rider'] });
  assert.deepEqual(
    records.map((r) => [r.instanceId, r.status]),
    [
      [1, 'anonymized'],
      [2, 'skipped'],
      [3, 'skipped'],
      [5, 'anonymized'],
      [6, 'skipped'],
      [7, 'anonymized'],
    ],
  );
});

test('minimum size: DP2 crop area < minSize^2 is skipped (the paper ablation is 32)', () => {
  const reason = (minSize: number) => bodyRegions(S, { minSize }).records.map((r) => r.reason ?? r.status);
  // person 7's crop has area 40: kept at 6 (36), skipped at 7 (49) and 8 (DP2's default 64)
  assert.deepEqual(reason(6), ['anonymized', 'crowd', 'ignored', 'empty mask', 'anonymized']);
  assert.deepEqual(reason(7), ['anonymized', 'crowd', 'ignored', 'empty mask', 'below min size']);
  assert.deepEqual(reason(8), ['anonymized', 'crowd', 'ignored', 'empty mask', 'below min size']);
  // person 1's crop has area 1075: kept at 32 (1024), skipped at 33 (1089)
  assert.deepEqual(reason(32), ['anonymized', 'crowd', 'ignored', 'empty mask', 'below min size']);
  assert.deepEqual(reason(33), ['below min size', 'crowd', 'ignored', 'empty mask', 'below min size']);
});

test('requireKeypoints skips persons without a labelled keypoint', () => {
  const s = sample(100, 200, [
    { id: 1, rect: [10, 10, 30, 46], keypoints: keypoints({ 0: [20, 15] }) },
    { id: 2, rect: [40, 10, 60, 46], keypoints: keypoints({}) },
    { id: 3, rect: [70, 10, 90, 46] },
  ]);
  assert.deepEqual(
    bodyRegions(s, { requireKeypoints: true }).records.map((r) => r.reason ?? r.status),
    ['anonymized', 'no keypoints', 'no keypoints'],
  );
  assert.deepEqual(bodyRegions(s, { requireKeypoints: true }).regions[0].keypoints, keypoints({ 0: [20, 15] }));
});

test('a mask of the wrong size is a DataError naming the file, the instance and the field', () => {
  const s = sample(100, 200, [{ id: 9, rect: [10, 10, 30, 46] }]);
  s.instances[0].mask = rectMask(50, 50, 1, 1, 5, 5);
  assert.throws(() => bodyRegions(s), /s1\.png: instance 9: mask: mask is 50x50, the image is 100x200/);
});
