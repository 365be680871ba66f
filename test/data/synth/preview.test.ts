import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encode } from '../../../lib/data/masks/index.ts';
import { drawPreview } from '../../../lib/data/synth/preview.ts';

test('drawPreview tints mask pixels, outlines them, draws skeletons and face boxes, and leaves the rest', () => {
  const W = 40;
  const H = 30;
  const data = new Uint8Array(W * H * 3).fill(100);
  const mask = new Uint8Array(W * H);
  for (let y = 5; y < 25; y++) for (let x = 10; x < 20; x++) mask[y * W + x] = 1;
  const kp = new Array(51).fill(0);
  kp.splice(3 * 5, 3, 12.5, 8.5, 2); // left shoulder
  kp.splice(3 * 7, 3, 12.5, 14.5, 2); // left elbow
  kp.splice(3 * 9, 3, 30.5, 20.5, 1); // left wrist, occluded
  const img = { width: W, height: H, channels: 3, data };
  const out = drawPreview(img, [{ mask: encode(mask, H, W), category: 'person', iscrowd: false, keypoints: kp, faceBox: [25, 2, 8, 6] }]);
  assert.deepEqual(data.subarray(0, 3), new Uint8Array([100, 100, 100]), 'input untouched');
  const px = (x: number, y: number) => [...out.data.subarray(3 * (y * W + x), 3 * (y * W + x) + 3)];
  assert.deepEqual(px(2, 28), [100, 100, 100], 'outside: unchanged');
  const inner = px(17, 20);
  assert.ok(inner[0] > 100 && inner[2] < 100, 'inside: tinted towards red');
  const edge = px(10, 20);
  assert.ok(edge[0] > inner[0], 'outline stronger than the fill');
  assert.deepEqual(px(12, 11), [80, 255, 80], 'left limb drawn in green');
  assert.deepEqual(px(30, 20), [20, 20, 20], 'occluded keypoint dot');
  assert.deepEqual(px(29, 1), [0, 255, 255], 'face box edge, just outside the box');
  assert.deepEqual(px(29, 5), [100, 100, 100], 'face box inside untouched');
  assert.throws(() => drawPreview({ width: W, height: H, channels: 1, data: new Uint8Array(W * H) }, []), /RGB/);
});
