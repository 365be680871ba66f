import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Image } from '../../lib/data/image.ts';
import type { DetectOptions, FaceDetection, FaceDetector } from '../../lib/regions/detector.ts';
import { headWindow } from '../../lib/regions/face-crops.ts';
import { headPart, headWindows } from '../../lib/regions/head.ts';
import { computeRegions } from '../../lib/regions/regions.ts';
import { bodyRegions } from '../../lib/regions/body.ts';
import { keypoints, rectMask, sample } from './fixtures.ts';

/** A detector that records its calls and answers with fixed detections per window. */
function stub(answer: (o: DetectOptions) => FaceDetection[]): FaceDetector & { calls: DetectOptions[] } {
  const calls: DetectOptions[] = [];
  return {
    name: 'stub',
    backend: 'none',
    calls,
    detect(_img: Image, o: DetectOptions = {}) {
      calls.push(o);
      return answer(o);
    },
    dispose() {},
  };
}

const img = (w: number, h: number): Image => ({ width: w, height: h, channels: 3, data: new Uint8Array(w * h * 3) });

test('head window: 1.25 x min(w, h), centred, from 0.125 x min(w, h) above the top', () => {
  assert.deepEqual(headWindow([100, 50, 140, 170]), { ox: 95, oy: 45, side: 50 });
  assert.equal(headWindow([0, 0, 11, 100]), null); // narrower than MIN_CROP_SIDE = 12 px
  assert.deepEqual(headWindow([0, 0, 12, 100]), { ox: -1.5, oy: -1.5, side: 15 });
  assert.equal(headWindow([0, 0, 100, 11]), null); // s is the smaller side
});

test('body: same as bodyRegions', async () => {
  const s = sample(100, 200, [{ id: 1, rect: [10, 10, 30, 46] }]);
  assert.deepEqual(await computeRegions(s, undefined, { kind: 'body', categories: ['person'], dilation: 'dp2', minSize: 0 }), bodyRegions(s));
});

test('face: the detector runs on the whole image and on the head crops (several scales) of persons without a face', async () => {
  const s = sample(200, 100, [
    { id: 1, rect: [0, 0, 40, 100], faceBox: [5, 5, 10, 10] },
    { id: 2, rect: [50, 0, 90, 100], keypoints: keypoints({ 1: [75, 10], 2: [65, 10] }) },
    { id: 3, rect: [100, 20, 140, 100] },
  ]);
  const det = stub((o) => (o.window ? [{ box: [110, 22, 12, 12], score: 0.8 }] : [{ box: [111, 22, 12, 12], score: 0.7 }]));
  const { records, regions } = await computeRegions(s, img(200, 100), { kind: 'face', detector: det, scoreThreshold: 0.6 });
  // one whole-image call, then the windows of person 3 only: its head window and 3 head crops
  const crops = headWindows(headPart({ mask: rectMask(200, 100, 100, 20, 140, 100) }, [100, 20, 140, 100], 100), 12);
  assert.equal(crops.length, 3);
  assert.equal(det.calls.length, 5);
  assert.equal(det.calls[0].window, undefined);
  assert.deepEqual(det.calls[1].window, headWindow([100, 20, 140, 100]));
  assert.deepEqual(det.calls.slice(2).map((c) => c.window), crops);
  assert.equal(det.calls[0].scoreThreshold, 0.6);
  // the two detections overlap (IoU 0.85): NMS keeps the higher score
  assert.deepEqual(
    records.map((r) => r.source),
    ['annotation', 'keypoints', 'detector'],
  );
  assert.deepEqual(regions[2].box, [110, 22, 12, 12]);
});

test('face: no detector call when every person has a face box or keypoints; no detector -> reason', async () => {
  const s = sample(200, 100, [{ id: 1, rect: [0, 0, 40, 100], faceBox: [5, 5, 10, 10] }]);
  const det = stub(() => []);
  await computeRegions(s, undefined, { kind: 'face', detector: det });
  assert.equal(det.calls.length, 0);
  const t = sample(200, 100, [{ id: 2, rect: [0, 0, 40, 100] }]);
  assert.equal((await computeRegions(t, undefined, { kind: 'face', estimateHeads: false })).records[0].reason, 'no face box, no head keypoints, no detector; head estimation off');
  assert.equal((await computeRegions(t, undefined, { kind: 'face' })).records[0].source, 'estimated-head');
  // the detector needs the image, of the sample's size
  await assert.rejects(computeRegions(t, undefined, { kind: 'face', detector: det }), /s1\.png: sample s1: image: the face detector needs the decoded image/);
  await assert.rejects(computeRegions(t, img(20, 10), { kind: 'face', detector: det }), /decoded image is 20x10, the sample says 200x100/);
  assert.equal((await computeRegions(t, img(200, 100), { kind: 'face', detector: det, estimateHeads: false })).records[0].reason, 'no face box, no head keypoints, no detection matched in the head; head estimation off');
  assert.equal((await computeRegions(t, img(200, 100), { kind: 'face', detector: det })).records[0].source, 'estimated-head');
});
