import { test } from 'node:test';
import assert from 'node:assert/strict';
import { frBbox } from '../../lib/data/masks/index.ts';
import { faceBoxFromKeypoints } from '../../lib/regions/face-keypoints.ts';
import { NO_FACE, NO_FACE_NO_DETECTOR, faceCorners, faceRegions } from '../../lib/regions/face.ts';
import { keypoints, sample } from './fixtures.ts';

test('face from the annotated face box: rounded corners, box mask, FDF crop', () => {
  const s = sample(200, 120, [{ id: 1, rect: [10, 5, 50, 110], faceBox: [20.4, 10.5, 10.2, 12.5] }]);
  const { regions, records } = faceRegions(s);
  assert.deepEqual(records, [{ instanceId: 1, kind: 'face', status: 'anonymized', source: 'annotation' }]);
  const r = regions[0];
  // corners 20.4 -> 20, 10.5 -> 10 (half to even), 30.6 -> 31, 23.0 -> 23
  assert.deepEqual(r.box, [20, 10, 11, 13]);
  assert.deepEqual(r.mask, frBbox([20, 10, 11, 13], 120, 200));
  // FDF: square 13 (x0 = 20 - 1), e = int(13 * 0.35) = 4 -> [15, 6, 36, 27)
  assert.deepEqual(r.cropBox, [15, 6, 21, 21]);
  assert.equal(r.source, 'annotation');
  assert.equal(r.kind, 'face');
});

test('face box from head keypoints, worked by hand', () => {
  // nose (100, 100), left eye (110, 90), right eye (90, 90):
  // side = max(2.5 * 20 [eyes], 3.0 * sqrt(200) = 42.4 [nose-eye]) = 50
  // mean (100, 93.33), moved 0.15 * 50 = 7.5 down -> centre (100, 100.83)
  const k = keypoints({ 0: [100, 100], 1: [110, 90], 2: [90, 90] });
  const b = faceBoxFromKeypoints(k, 300, 300)!;
  assert.deepEqual(b.map((v) => +v.toFixed(4)), [75, 75.8333, 50, 50]);
  // shoulders to the right of the head: the shift goes right instead -> centre (107.5, 93.33)
  const side = keypoints({ 0: [100, 100], 1: [110, 90], 2: [90, 90], 5: [160, 90], 6: [160, 96.6667] });
  assert.deepEqual(faceBoxFromKeypoints(side, 300, 300)!.map((v) => +v.toFixed(3)), [82.5, 68.333, 50, 50]);
  // ears only: side = 1.0 * 40, centre (100, 80 + 6)
  assert.deepEqual(faceBoxFromKeypoints(keypoints({ 3: [120, 80], 4: [80, 80] }), 300, 300), [80, 66, 40, 40]);
  // clipped to the image
  assert.deepEqual(faceBoxFromKeypoints(keypoints({ 3: [20, 10], 4: [-20, 10] }), 300, 300), [0, 0, 20, 36]);
  // one head keypoint (no scale), or two at the same place: none
  assert.equal(faceBoxFromKeypoints(keypoints({ 0: [100, 100], 5: [100, 150] }), 300, 300), null);
  assert.equal(faceBoxFromKeypoints(keypoints({ 1: [100, 100], 2: [100, 100] }), 300, 300), null);
});

test('keypoint faces in faceRegions: source keypoints, rounded box', () => {
  const s = sample(300, 300, [{ id: 4, rect: [60, 60, 140, 290], keypoints: keypoints({ 0: [100, 100], 1: [110, 90], 2: [90, 90] }) }]);
  const { regions, records } = faceRegions(s);
  assert.deepEqual(records, [{ instanceId: 4, kind: 'face', status: 'anonymized', source: 'keypoints' }]);
  // corners (75, 75.83, 125, 125.83) -> (75, 76, 125, 126)
  assert.deepEqual(regions[0].box, [75, 76, 50, 50]);
  assert.deepEqual(regions[0].keypoints, s.instances[0].keypoints);
});

test('annotation beats keypoints beats detector; detector faces are matched one-to-one', () => {
  const s = sample(200, 100, [
    { id: 1, rect: [0, 0, 40, 100], faceBox: [10, 5, 12, 14], keypoints: keypoints({ 1: [30, 10], 2: [20, 10] }) },
    { id: 2, rect: [50, 0, 90, 100], keypoints: keypoints({ 1: [75, 10], 2: [65, 10] }) },
    { id: 3, rect: [100, 0, 140, 100] },
    { id: 4, rect: [150, 0, 190, 100] },
    { id: 5, rect: [0, 0, 20, 20], iscrowd: true },
  ]);
  const detections = [
    { box: [105, 2, 14, 14] as [number, number, number, number], score: 0.9 }, // person 3
    { box: [55, 2, 14, 14] as [number, number, number, number], score: 0.95 }, // person 2 (who has keypoints)
    { box: [300, 300, 5, 5] as [number, number, number, number], score: 0.99 }, // nobody: dropped
  ];
  const { regions, records } = faceRegions(s, { detections });
  assert.deepEqual(records, [
    { instanceId: 1, kind: 'face', status: 'anonymized', source: 'annotation' },
    { instanceId: 2, kind: 'face', status: 'anonymized', source: 'keypoints' },
    { instanceId: 3, kind: 'face', status: 'anonymized', source: 'detector' },
    { instanceId: 4, kind: 'face', status: 'anonymized', source: 'estimated-head' },
    { instanceId: 5, kind: 'face', status: 'skipped', reason: 'crowd' },
  ]);
  // person 2: eyes 10 apart -> side 25, centre (70, 10 + 0.15 * 25) -> corners (57.5, 1.25, 82.5, 26.25),
  // rounded half to even -> (58, 1, 82, 26)
  assert.deepEqual(
    regions.map((r) => [r.instanceId, r.box]),
    [
      [1, [10, 5, 12, 14]],
      [2, [58, 1, 24, 25]],
      [3, [105, 2, 14, 14]],
      [4, [147, 0, 46, 43]], // estimated head: the rect reaches the image's bottom edge, so rows 0..40, dilated by 3
    ],
  );
  // without detections and without head estimates: the reason says there was no detector
  assert.equal(faceRegions(s, { estimateHeads: false }).records[2].reason, 'no face box, no head keypoints, no detector; head estimation off');
  // a person too small for an estimated head: the reasons name what was missing
  const small = sample(200, 100, [{ id: 6, rect: [0, 0, 10, 20] }]);
  assert.equal(faceRegions(small).records[0].reason, NO_FACE_NO_DETECTOR);
  assert.equal(faceRegions(small, { detections }).records[0].reason, NO_FACE);
});

test('a detection on one person\'s head is not handed to the neighbour without a face', () => {
  const s = sample(200, 100, [
    { id: 1, rect: [0, 0, 40, 100], keypoints: keypoints({ 1: [25, 8], 2: [15, 8] }) },
    { id: 2, rect: [40, 0, 80, 100] },
  ]);
  // the box covers 24x16 of person 1 and 4x16 of person 2; its centre is in person 1's head part only
  const { records } = faceRegions(s, { detections: [{ box: [16, 0, 28, 16], score: 0.9 }] });
  assert.deepEqual(
    records.map((r) => r.source ?? r.reason),
    ['keypoints', 'estimated-head'],
  );
});

test('face boxes outside the image are skipped; min size applies to the person', () => {
  const s = sample(100, 100, [
    { id: 1, rect: [0, 0, 40, 90], faceBox: [120, 10, 10, 10] },
    { id: 2, rect: [50, 50, 54, 56], faceBox: [50, 50, 4, 3] },
  ]);
  assert.deepEqual(
    faceRegions(s, { minSize: 8 }).records.map((r) => r.reason),
    ['face box outside the image', 'below min size'],
  );
});
