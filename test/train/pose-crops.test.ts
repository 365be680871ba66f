import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InitRng } from '../../lib/nn/init.ts';
import { transformPoint } from '../../lib/train/augment.ts';
import { PIXEL_MEAN, PIXEL_STD } from '../../lib/train/batch.ts';
import type { BaseSample } from '../../lib/train/loader.ts';
import { cropInto, cropToBase, drawPoseCrops, poseCropParams, poseHeatmaps, type PoseTrainConfig } from '../../lib/train/pose-crops.ts';
import { hasLabelledKeypoints } from '../../lib/train/targets.ts';

/** A 64 x 32 sample: pixel (x, y) has RGB (x, 4y, 7); one person with two shoulders, one without keypoints. */
function sample(): BaseSample {
  const w = 64;
  const h = 32;
  const image = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) image.set([x, 4 * y, 7], (y * w + x) * 3);
  const kp = new Float32Array(51);
  kp.set([12.5, 10, 2], 3 * 5); // left_shoulder
  kp.set([18.5, 10, 1], 3 * 6); // right_shoulder
  return {
    index: 0,
    id: 's',
    width: w,
    height: h,
    origWidth: w,
    origHeight: h,
    image,
    instanceMap: new Int32Array(w * h).fill(-1),
    instances: [
      { classIndex: 0, crowd: false, ignore: false, bbox: [10, 4, 12, 24], keypoints: kp, numKeypoints: 2 },
      { classIndex: 0, crowd: false, ignore: false, bbox: [40, 4, 12, 24], keypoints: new Float32Array(51), numKeypoints: 0 },
    ],
  };
}

test('poseCropParams: the box enlarged, fitted to the input aspect and centred', () => {
  const p = poseCropParams([10, 20, 20, 40], [32, 64], 1.25);
  // 25 x 50 already has the aspect 1:2; 64 / 50
  assert.equal(p.scale, 1.28);
  assert.ok(Math.abs(p.offsetX - 9.6) < 1e-12 && Math.abs(p.offsetY - 19.2) < 1e-12);
  const wide = poseCropParams([0, 0, 40, 10], [32, 64], 1.25);
  // 50 x 12.5 is heightened to 50 x 100
  assert.equal(wide.scale, 0.64);
  assert.ok(Math.abs(wide.offsetX + 3.2) < 1e-12 && Math.abs(wide.offsetY + 28.8) < 1e-12);
});

test('cropToBase inverts the crop transform, mirrored or not', () => {
  for (const flip of [false, true]) {
    const p = poseCropParams([10, 4, 12, 24], [32, 64], 1.25, flip);
    for (const [x, y] of [[12.5, 10], [0, 0], [30.25, 17.5]] as const) {
      const [qx, qy] = transformPoint(x, y, p, 32);
      const [bx, by] = cropToBase(qx, qy, p, 32);
      assert.ok(Math.abs(bx - x) < 1e-9 && Math.abs(by - y) < 1e-9, `flip ${flip}: (${x}, ${y}) -> (${bx}, ${by})`);
    }
  }
});

test('cropInto samples the box bilinearly at pixel centres and normalises', () => {
  const s = sample();
  // box 16 x 32 at (8, 0), input 2 x 4, no enlargement: scale 1/8; output pixel (i, j) samples (8 + 8(i + 0.5), 8(j + 0.5))
  const p = poseCropParams([8, 0, 16, 32], [2, 4], 1);
  assert.equal(p.scale, 0.125);
  const out = new Float32Array(2 * 4 * 3 + 3);
  cropInto(s, p, [2, 4], out, 3);
  const rgb = (i: number, j: number) => [0, 1, 2].map((c) => Math.round((out[3 + (j * 2 + i) * 3 + c] * PIXEL_STD[c] + PIXEL_MEAN[c]) * 255));
  // x = 12 and 20 (between pixel centres 11.5 and 12.5: R 11.5 -> 12 after rounding), y = 4, 12, 20, 28
  assert.deepEqual(rgb(0, 0), [12, 14, 7]);
  assert.deepEqual(rgb(1, 3), [20, 110, 7]);
  assert.deepEqual([...out.slice(0, 3)], [0, 0, 0], 'nothing before the offset');
});

test('poseHeatmaps: a Gaussian peak at each labelled keypoint inside the crop', () => {
  const kp = new Float32Array(51);
  kp.set([5, 7, 2], 0); // cell (round(2.5 - 0.5), round(3.5 - 0.5)) = (2, 3)
  kp.set([40, 7, 2], 3); // outside a 32-pixel-wide crop
  kp.set([5, 7, 0], 6); // not labelled
  const m = poseHeatmaps(kp, { inputSize: [32, 64], expand: 1.25, outputStride: 2 }, 1);
  assert.equal(m.length, 16 * 32 * 17);
  const at = (x: number, y: number, j: number) => m[(y * 16 + x) * 17 + j];
  assert.equal(at(2, 3, 0), 1);
  assert.ok(Math.abs(at(3, 3, 0) - Math.exp(-0.5)) < 1e-6);
  for (const j of [1, 2]) assert.ok(m.every((v, i) => i % 17 !== j || v === 0), `channel ${j} is empty`);
});

test('drawPoseCrops: seeded, only people with keypoints, a flip swaps left and right', () => {
  const s = sample();
  assert.deepEqual(s.instances.map((i) => hasLabelledKeypoints(i)), [true, false]);
  const g = { inputSize: [32, 64] as [number, number], expand: 1.25, outputStride: 2 };
  const cfg: PoseTrainConfig = { batchSize: 16, sigma: 1, scaleJitter: [1, 1], shiftJitter: 0, flip: true };
  const a = drawPoseCrops(new InitRng('k'), [s], g, cfg)!;
  const b = drawPoseCrops(new InitRng('k'), [s], g, cfg)!;
  assert.equal(a.n, 16);
  assert.deepEqual([a.outWidth, a.outHeight], [16, 32]);
  assert.deepEqual(a.input, b.input);
  assert.deepEqual(a.heatmaps, b.heatmaps);
  // without jitter every crop shows the same person: the left shoulder's peak is at its own
  // place, or (mirrored crops) where the mirrored right shoulder lands
  const p = poseCropParams(s.instances[0].bbox, g.inputSize, g.expand);
  const cell = (x: number) => Math.round(x / 2 - 0.5);
  const [lx, ly] = transformPoint(12.5, 10, p, 32);
  const [rx] = transformPoint(18.5, 10, p, 32);
  const plain = [cell(lx), cell(ly)].join();
  const mirrored = [cell(32 - rx), cell(ly)].join();
  assert.notEqual(plain, mirrored);
  const seen = new Set<string>();
  const per = 16 * 32 * 17;
  for (let i = 0; i < a.n; i++) {
    const k = a.heatmaps.subarray(i * per, (i + 1) * per).findIndex((v, q) => q % 17 === 5 && v === 1);
    const at = [Math.floor(k / 17) % 16, Math.floor(k / 17 / 16)].join();
    assert.ok(at === plain || at === mirrored, `crop ${i}: left shoulder at ${at}`);
    seen.add(at);
  }
  assert.equal(seen.size, 2, 'both plain and mirrored crops among 16');
  assert.equal(drawPoseCrops(new InitRng('k'), [{ ...s, instances: [s.instances[1]] }], g, cfg), undefined);
  assert.equal(drawPoseCrops(new InitRng('k'), [s], g, { ...cfg, batchSize: 0 }), undefined);
});
