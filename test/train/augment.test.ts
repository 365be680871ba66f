import { test } from 'node:test';
import assert from 'node:assert/strict';
import { augment, drawAugParams, IDENTITY, transformKeypoints } from '../../lib/train/augment.ts';
import type { BaseSample } from '../../lib/train/loader.ts';
import { InitRng } from '../../lib/nn/init.ts';
import { COCO_FLIP } from '../../lib/models/keypoints.ts';

/** An 8 x 4 sample: pixel (x, y) has RGB (10x, 10y, 7); one person with two shoulders. */
function sample(): BaseSample {
  const w = 8;
  const h = 4;
  const image = new Uint8Array(w * h * 3);
  const semantic = new Uint8Array(w * h);
  const instanceMap = new Int32Array(w * h).fill(-1);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      image.set([10 * x, 10 * y, 7], (y * w + x) * 3);
      semantic[y * w + x] = x;
      if (x >= 1 && x <= 2) instanceMap[y * w + x] = 0;
    }
  }
  const kp = new Float32Array(51);
  kp.set([1.5, 2, 2], 3 * 5); // left_shoulder
  kp.set([6.25, 1, 1], 3 * 6); // right_shoulder
  return {
    index: 0,
    id: 's',
    width: w,
    height: h,
    origWidth: 16,
    origHeight: 8,
    image,
    semantic,
    instanceMap,
    instances: [{ classIndex: 0, crowd: false, ignore: false, bbox: [1, 0, 2, 4], keypoints: kp, numKeypoints: 2 }],
  };
}

test('augment: the identity placement copies the sample', () => {
  const s = sample();
  const a = augment(s, IDENTITY, [8, 4]);
  assert.deepEqual(a.image, s.image);
  assert.deepEqual(a.semantic, s.semantic);
  assert.deepEqual(a.instanceMap, s.instanceMap);
  assert.ok(a.valid.every((v) => v === 1));
  assert.deepEqual(a.instances[0].keypoints, s.instances[0].keypoints);
  // a larger canvas: the sample at the top-left, the rest invalid and unlabelled
  const b = augment(s, IDENTITY, [10, 4]);
  assert.equal(b.valid[9], 0);
  assert.equal(b.semantic![9], 255);
  assert.equal(b.instanceMap[9], -1);
  assert.deepEqual([...b.image.subarray(27, 30)], [0, 0, 0]);
});

test('augment: a flip mirrors pixels, maps and boxes and swaps left/right keypoints', () => {
  const s = sample();
  const a = augment(s, { scale: 1, flip: true, offsetX: 0, offsetY: 0 }, [8, 4]);
  for (let y = 0; y < 4; y++) {
    for (let x = 0; x < 8; x++) {
      assert.deepEqual([...a.image.subarray((y * 8 + x) * 3, (y * 8 + x) * 3 + 3)], [10 * (7 - x), 10 * y, 7]);
      assert.equal(a.semantic![y * 8 + x], 7 - x);
    }
  }
  assert.equal(a.instanceMap[5], 0);
  assert.equal(a.instanceMap[6], 0);
  assert.equal(a.instanceMap[1], -1);
  assert.deepEqual(a.instances[0].bbox, [5, 0, 2, 4]);
  const kp = a.instances[0].keypoints!;
  // the new left shoulder is the old right one, mirrored: x -> 8 - x
  assert.deepEqual([...kp.subarray(15, 18)], [8 - 6.25, 1, 1]);
  assert.deepEqual([...kp.subarray(18, 21)], [8 - 1.5, 2, 2]);
  // every other keypoint stays absent
  for (let j = 0; j < 17; j++) if (j !== 5 && j !== 6) assert.equal(kp[3 * j + 2], 0);
  // flipping twice is the identity
  const back = transformKeypoints(kp, { scale: 1, flip: true, offsetX: 0, offsetY: 0 }, 8, 4);
  assert.deepEqual(back, s.instances[0].keypoints);
});

test('augment: the flip table pairs left and right', () => {
  for (let j = 0; j < 17; j++) assert.equal(COCO_FLIP[COCO_FLIP[j]], j);
  assert.deepEqual([COCO_FLIP[0], COCO_FLIP[1], COCO_FLIP[15]], [0, 2, 16]);
});

test('augment: scale and crop move keypoints with the pixels; points off the canvas vanish', () => {
  const s = sample();
  // scale 2, crop from (4, 2): base point P goes to 2P - (4, 2)
  const a = augment(s, { scale: 2, flip: false, offsetX: 4, offsetY: 2 }, [8, 4]);
  // output pixel (0, 0) samples base (2.25, 1.25): bilinear between columns 1, 2 and rows 0, 1
  // at weights 0.25 / 0.75 -> R = 10 * 1.75, G = 10 * 0.75
  assert.deepEqual([...a.image.subarray(0, 3)], [Math.round(17.5), Math.round(7.5), 7]);
  assert.equal(a.semantic![0], 2); // nearest: base pixel (2, 1)
  // left shoulder (1.5, 2) -> (-1, 2) and right shoulder (6.25, 1) -> (8.5, 0): both off the canvas
  assert.equal(a.instances[0].keypoints![17], 0);
  assert.equal(a.instances[0].keypoints![20], 0);
  // crop from (2, 1): left shoulder -> (1, 3) stays, right shoulder -> (10.5, 1) vanishes
  const b = augment(s, { scale: 2, flip: false, offsetX: 2, offsetY: 1 }, [8, 4]);
  const kp = b.instances[0].keypoints!;
  assert.deepEqual([...kp.subarray(15, 18)], [1, 3, 2]);
  assert.deepEqual([...kp.subarray(18, 21)], [0, 0, 0]);
  // the box [1, 0, 2, 4] -> [0, -1, 4, 8] clipped to the canvas
  assert.deepEqual(b.instances[0].bbox, [0, 0, 4, 4]);
  // the instance's pixels (base x 1..2) land at output x 0..3
  assert.deepEqual([...b.instanceMap.subarray(0, 8)], [0, 0, 0, 0, -1, -1, -1, -1]);
});

test('drawAugParams: seeded, in range, and the crop stays on the scaled image', () => {
  const cfg = { scaleMin: 0.5, scaleMax: 2, flip: true };
  const a = drawAugParams(new InitRng('k'), { width: 100, height: 50 }, [64, 32], cfg);
  const b = drawAugParams(new InitRng('k'), { width: 100, height: 50 }, [64, 32], cfg);
  assert.deepEqual(a, b);
  let flips = 0;
  for (let i = 0; i < 200; i++) {
    const p = drawAugParams(new InitRng(`k${i}`), { width: 100, height: 50 }, [64, 32], cfg);
    assert.ok(p.scale >= 0.5 && p.scale <= 2);
    const sw = 100 * p.scale;
    assert.ok(p.offsetX >= Math.min(0, sw - 64) - 1e-9 && p.offsetX <= Math.max(0, sw - 64));
    if (p.flip) flips++;
  }
  assert.ok(flips > 60 && flips < 140, `flips ${flips}`);
  const none = drawAugParams(new InitRng('k'), { width: 100, height: 50 }, [64, 32], { scaleMin: 1, scaleMax: 1, flip: false });
  assert.equal(none.scale, 1);
  assert.equal(none.flip, false);
});

test('drawAugParams: a focused crop contains the chosen point (clamped to the image)', () => {
  const cfg = { scaleMin: 0.8, scaleMax: 1.25, flip: false, focus: 1 };
  for (let i = 0; i < 100; i++) {
    const p = drawAugParams(new InitRng(`f${i}`), { width: 400, height: 200 }, [64, 64], cfg, [[300, 150]]);
    const [qx, qy] = [300 * p.scale - p.offsetX, 150 * p.scale - p.offsetY];
    assert.ok(qx >= 0 && qx < 64 && qy >= 0 && qy < 64, `point at (${qx}, ${qy})`);
    assert.ok(p.offsetX >= 0 && p.offsetX <= 400 * p.scale - 64 && p.offsetY >= 0 && p.offsetY <= 200 * p.scale - 64);
  }
  // without points, or with focus 0, the usual placement (same draws as without the option)
  const plain = drawAugParams(new InitRng('g'), { width: 400, height: 200 }, [64, 64], { ...cfg, focus: 0 }, [[300, 150]]);
  assert.deepEqual(plain, drawAugParams(new InitRng('g'), { width: 400, height: 200 }, [64, 64], { scaleMin: 0.8, scaleMax: 1.25, flip: false }));
});
