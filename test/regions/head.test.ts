// The head-part rule (where a detector face is accepted for a person), the one-to-one matching
// of faces to heads, the estimated head region and the head crops, on synthetic masks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decode, encode, toBbox } from '../../lib/data/masks/index.ts';
import type { Box, Rle } from '../../lib/data/types.ts';
import { NO_FACE, NO_FACE_NO_DETECTOR, faceRegions } from '../../lib/regions/face.ts';
import {
  acceptsFace,
  estimatedHead,
  headPart,
  headWindows,
  matchFacesToHeads,
  MIN_FACE_PERSON_HEIGHT,
} from '../../lib/regions/head.ts';
import type { Corners } from '../../lib/regions/dp2-crop.ts';
import { keypoints, rectMask, sample } from './fixtures.ts';

/** A standing person in a w x h image: head [hx0, hx1) x [top, top + head), body below, full width [bx0, bx1). */
function personMask(w: number, h: number, head: [number, number, number, number], body: [number, number, number, number]): Rle {
  const m = new Uint8Array(w * h);
  for (const [x0, y0, x1, y1] of [head, body]) for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) m[y * w + x] = 1;
  return encode(m, h, w);
}
const corners = (mask: Rle): Corners => {
  const b = toBbox(mask);
  return [b[0], b[1], b[0] + b[2], b[1] + b[3]];
};

test('head part from the mask: top quarter of the height, box of those rows, widened sideways only', () => {
  // head 20 wide x 20 tall at the top of a 100 px tall person; shoulders/body 40 wide from row 30
  const mask = personMask(200, 200, [40, 10, 60, 30], [30, 30, 70, 110]);
  const part = headPart({ mask }, corners(mask), 200);
  assert.equal(part.from, 'mask');
  // rows 10..35 (ceil(0.25 * 100) = 25): head rows and 5 rows of body, x 30..70 (40 wide), +- 6
  assert.deepEqual(part.box, [24, 10, 76, 35]);
  assert.equal(part.width, 40);
  // expected head centre: x of the top rows (the head, 40..60), middle of the rows
  assert.deepEqual(part.centre, [50, 22.5]);
  // a person cut by the bottom edge of the image: the top half counts as head part
  const cut = personMask(200, 100, [40, 10, 60, 30], [30, 30, 70, 100]);
  assert.deepEqual(headPart({ mask: cut }, corners(cut), 100).box, [24, 10, 76, 55]);
  // head keypoints: a square around them (radius max(1.5 x spread, 0.1 x height, 4))
  const kp = keypoints({ 1: [45, 15], 2: [55, 15] });
  const byKp = headPart({ mask, keypoints: kp }, corners(mask), 200);
  assert.equal(byKp.from, 'keypoints');
  assert.deepEqual(byKp.box, [40, 5, 60, 25]);
});

test('a face is accepted only in its person\'s head part, on its mask, not too wide', () => {
  const mask = personMask(200, 200, [40, 10, 60, 30], [30, 30, 70, 110]);
  const part = headPart({ mask }, corners(mask), 200);
  const ok = (box: Box) => acceptsFace(part, mask, box);
  assert.equal(ok([42, 12, 16, 16]), true); // on the head
  assert.equal(ok([38, 50, 24, 24]), false); // chest: centre below the head part
  assert.equal(ok([42, 2, 16, 12]), false); // centre above the mask's top (the background over the head)
  assert.equal(ok([10, 12, 20, 20]), false); // beside the head: centre outside the part
  assert.equal(ok([62, 5, 16, 16]), false); // centre (70, 13) in the part, but under 25% of the box on the mask
  assert.equal(ok([0, 0, 70, 30]), false); // wider than 1.5 x the part
});

test('faces to heads: one face per person, one person per face, nearest head first', () => {
  const w = 300;
  const h = 200;
  const a = personMask(w, h, [40, 10, 60, 30], [30, 30, 70, 110]);
  const b = personMask(w, h, [70, 12, 90, 32], [60, 32, 100, 112]); // overlapping neighbour to the right
  const parts = [a, b].map((m) => headPart({ mask: m }, corners(m), h));
  const dets = [
    { box: [72, 14, 16, 16] as Box, score: 0.7 }, // b's face
    { box: [42, 12, 16, 16] as Box, score: 0.9 }, // a's face
    { box: [46, 16, 16, 16] as Box, score: 0.8 }, // a second box on a's face, farther from its head centre: nobody's
    { box: [38, 60, 20, 20] as Box, score: 0.99 }, // a's chest: nobody's
  ];
  const m = matchFacesToHeads(dets, parts, [a, b]);
  assert.deepEqual(
    m.map((x) => [x.detection, x.person]).sort(),
    [
      [0, 1],
      [1, 0],
    ],
  );
});

test('estimated head: the mask\'s top fifth, dilated by 3% of the height', () => {
  const mask = personMask(200, 200, [40, 10, 60, 30], [30, 30, 70, 110]);
  const est = estimatedHead(mask, corners(mask))!;
  // rows 10..30 (0.2 x 100) are the head 40..60; dilated by round(0.03 x 100) = 3
  assert.deepEqual(toBbox(est), [37, 7, 26, 26]);
  const px = decode(est);
  assert.equal(px[20 * 200 + 50], 1); // head centre
  assert.equal(px[40 * 200 + 50], 0); // chest is not in it
  // cut by the bottom edge: the top 40%
  const cut = personMask(200, 100, [40, 10, 60, 30], [30, 30, 70, 100]);
  const b = toBbox(estimatedHead(cut, corners(cut))!);
  assert.equal(b[1] + b[3], 10 + 36 + 3);
});

test('faceRegions: a chest detection is not a face; the person gets an estimated head instead, said so', () => {
  const s = sample(200, 200, [{ id: 1, rect: [30, 10, 70, 110] }]);
  const { regions, records } = faceRegions(s, { detections: [{ box: [38, 60, 20, 20], score: 0.99 }] });
  assert.deepEqual(records, [{ instanceId: 1, kind: 'face', status: 'anonymized', source: 'estimated-head' }]);
  assert.equal(regions[0].source, 'estimated-head');
  assert.deepEqual(regions[0].box, [27, 7, 46, 26]); // rows 10..30 of the 40 px wide rect, dilated 3
  assert.ok(regions[0].cropBox);
  // the same detection on the head is taken as the face
  const onHead = faceRegions(s, { detections: [{ box: [40, 12, 20, 20], score: 0.99 }] });
  assert.deepEqual(onHead.records[0].source, 'detector');
  assert.deepEqual(onHead.regions[0].box, [40, 12, 20, 20]);
});

test('faceRegions: persons under 32 px tall are skipped with a reason; estimation can be switched off', () => {
  assert.equal(MIN_FACE_PERSON_HEIGHT, 32);
  const s = sample(100, 100, [
    { id: 1, rect: [10, 10, 20, 41] }, // 31 px
    { id: 2, rect: [30, 10, 40, 42] }, // 32 px
  ]);
  assert.deepEqual(
    faceRegions(s, { detections: [] }).records.map((r) => r.source ?? r.reason),
    [NO_FACE, 'estimated-head'],
  );
  assert.deepEqual(
    faceRegions(s).records.map((r) => r.source ?? r.reason),
    [NO_FACE_NO_DETECTOR, 'estimated-head'],
  );
  const off = faceRegions(s, { estimateHeads: false });
  assert.deepEqual(
    off.records.map((r) => r.reason),
    [NO_FACE_NO_DETECTOR, 'no face box, no head keypoints, no detector; head estimation off'],
  );
  assert.equal(off.regions.length, 0);
  // every 'anonymized' record has its region, and only those
  const on = faceRegions(s, { detections: [] });
  assert.deepEqual(
    on.regions.map((r) => r.instanceId),
    on.records.filter((r) => r.status === 'anonymized').map((r) => r.instanceId),
  );
});

test('head windows: three scales of the head part width around the expected head, none under the minimum side', () => {
  const mask = rectMask(200, 200, 30, 10, 70, 110);
  const part = headPart({ mask }, corners(mask), 200);
  const ws = headWindows(part, 12);
  assert.deepEqual(
    ws.map((w) => w.side),
    [30, 50, 80],
  );
  for (const w of ws) {
    assert.equal(w.ox + w.side / 2, 50); // centred on the head's x
    assert.ok(w.oy < 10 && w.oy + w.side > 10 + 0.13 * 100, JSON.stringify(w)); // from above the top to below the head
  }
  assert.deepEqual(
    headWindows(part, 60).map((w) => w.side),
    [80],
  );
});
