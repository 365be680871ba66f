// Licence-plate regions: each plate's region is its box (clipped, corners rounded half to even, as
// face boxes), with a record per plate; 'face+plate' and 'body+plate' give the person's regions
// and the plates'; the person options (categories, sizes, detector) never touch plates.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decode, frBbox } from '../../lib/data/masks/index.ts';
import type { Sample } from '../../lib/data/types.ts';
import { plateCrop, plateRegions, PLATE_OUTSIDE } from '../../lib/regions/plate.ts';
import { computeRegions, detectorNeeded } from '../../lib/regions/regions.ts';
import { checkRegionSelection, hasPlates, personKind, regionKinds, REGION_SELECTIONS } from '../../lib/regions/selection.ts';
import { sample } from './fixtures.ts';

const W = 48;
const H = 32;

function withPlates(): Sample {
  const s = sample(W, H, [
    { id: 1, rect: [2, 2, 12, 30], faceBox: [4, 3, 6, 5] },
    { id: 2, rect: [14, 2, 24, 30] }, // no face box, no keypoints
  ]);
  s.plates = [
    { id: 30, box: [30, 20, 8, 2] },
    { id: 31, box: [-20, -20, 5, 5] }, // outside the image
    { id: 32, box: [44.4, 28.5, 9, 9] }, // clipped to the image, rounded half to even
  ];
  return s;
}

test('a plate region is the plate box: mask, box, record; a box outside the image is skipped', () => {
  const s = withPlates();
  const { regions, records } = plateRegions(s);
  assert.deepEqual(
    records,
    [
      { instanceId: 30, kind: 'plate', status: 'anonymized', source: 'annotation' },
      { instanceId: 31, kind: 'plate', status: 'skipped', reason: PLATE_OUTSIDE },
      { instanceId: 32, kind: 'plate', status: 'anonymized', source: 'annotation' },
    ],
  );
  assert.deepEqual(regions.map((r) => [r.instanceId, r.kind, r.box, r.sampleId]), [
    [30, 'plate', [30, 20, 8, 2], 's1'],
    [32, 'plate', [44, 28, 4, 4], 's1'],
  ]);
  for (const r of regions) {
    assert.deepEqual(decode(r.mask), decode(frBbox(r.box, H, W)), 'the mask is the box');
    const [x, y, w, h] = r.cropBox!;
    assert.ok(x <= r.box[0] && y <= r.box[1] && x + w >= r.box[0] + r.box[2] && y + h >= r.box[1] + r.box[3], 'the crop holds the box');
  }
  assert.deepEqual(plateCrop([30, 20, 38, 22]), [26, 16, 42, 26]);
  assert.deepEqual(plateRegions({ ...s, plates: undefined }), { regions: [], records: [] });
});

test("computeRegions: 'plate' gives the plates; 'face+plate' and 'body+plate' the person's regions, then the plates'", async () => {
  const s = withPlates();
  const plates = plateRegions(s);
  assert.deepEqual(await computeRegions(s, undefined, { kind: 'plate' }), plates);
  for (const person of ['face', 'body'] as const) {
    const alone = await computeRegions(s, undefined, { kind: person, dilation: 1 });
    const both = await computeRegions(s, undefined, { kind: `${person}+plate`, dilation: 1 });
    assert.deepEqual(both.regions, [...alone.regions, ...plates.regions]);
    assert.deepEqual(both.records, [...alone.records, ...plates.records]);
    assert.ok(alone.regions.length > 0 && alone.regions.every((r) => r.kind === person));
  }
  // plates do not depend on the person options, and need no detector
  assert.deepEqual(await computeRegions(s, undefined, { kind: 'plate', categories: ['nobody'], minSize: 100, requireKeypoints: true }), plates);
  assert.equal(detectorNeeded(s, { kind: 'plate' }), false);
  assert.equal(detectorNeeded(s, { kind: 'face+plate' }), true, 'person 2 has no face box');
  assert.equal(detectorNeeded(s, { kind: 'body+plate' }), false);
  await assert.rejects(computeRegions(s, undefined, { kind: 'plates' as never }), /kind must be one of face, body, plate, face\+plate, body\+plate, got 'plates'/);
});

test('region selections: kinds, person part, plates', () => {
  assert.deepEqual([...REGION_SELECTIONS], ['face', 'body', 'plate', 'face+plate', 'body+plate']);
  assert.deepEqual(REGION_SELECTIONS.map(regionKinds), [['face'], ['body'], ['plate'], ['face', 'plate'], ['body', 'plate']]);
  assert.deepEqual(REGION_SELECTIONS.map(personKind), ['face', 'body', undefined, 'face', 'body']);
  assert.deepEqual(REGION_SELECTIONS.map(hasPlates), [false, false, true, true, true]);
  assert.equal(checkRegionSelection('face+plate'), 'face+plate');
  assert.throws(() => checkRegionSelection('plate+face', '--region'), /--region must be one of/);
});
