// Keypoints of people in a base-size image from the pose stage (lib/models/pose.ts): every box
// is cropped as in training (lib/train/pose-crops.ts, no jitter, no flip), the crops run through
// the pose network in one batch, and each heatmap is decoded (lib/models/decode-pose.ts) and
// mapped back: heatmap cell u lies at crop coordinate (u + 0.5) * outputStride, and the crop
// transform is inverted to base-size coordinates. With `iterations` > 0 and the network's
// box-from-keypoints ratios (lib/models/keypoint-box.ts), each person is cropped again around the
// box its keypoints scoring >= KEYPOINT_BOX_SCORE imply (its previous box when fewer than 4 do),
// that many times. With `flip`, every crop also runs mirrored and the two heatmaps are averaged
// (the mirrored one mirrored back, left and right channels swapped: the flip test of the top-down
// pose networks, Xiao et al. 2018) before decoding.
import * as tf from '@tensorflow/tfjs';
import type { Box } from '../data/types.ts';
import { decodePose } from '../models/decode-pose.ts';
import { boxFromKeypoints } from '../models/keypoint-box.ts';
import { COCO_FLIP } from '../models/keypoints.ts';
import type { PoseNet } from '../models/pose.ts';
import type { BaseSample } from './loader.ts';
import { cropInto, cropToBase, poseCropParams } from './pose-crops.ts';

/** Keypoints that place a re-cropped box score at least this. */
export const KEYPOINT_BOX_SCORE = 0.1;

/** 17 x (x, y, score) in base-size coordinates for each box (base-size pixels). */
export async function poseKeypoints(pose: PoseNet, base: BaseSample, boxes: readonly Box[], iterations = 0, flip = false): Promise<Float32Array[]> {
  let kps = await posePass(pose, base, boxes, flip);
  const r = pose.config.keypointBox;
  for (let it = 0; r && it < iterations; it++) {
    const next = kps.map((kp, i) => boxFromKeypoints(kp, r, KEYPOINT_BOX_SCORE) ?? boxes[i]);
    kps = await posePass(pose, base, next, flip);
    boxes = next;
  }
  return kps;
}

/** One pass of the pose network over the boxes (and their mirror images). */
async function posePass(pose: PoseNet, base: BaseSample, boxes: readonly Box[], flip: boolean): Promise<Float32Array[]> {
  if (boxes.length === 0) return [];
  const [W, H] = pose.inputSize;
  const n = boxes.length;
  const input = new Float32Array((flip ? 2 : 1) * n * W * H * 3);
  const placements = boxes.map((b, i) => {
    const p = poseCropParams(b, pose.inputSize, pose.expand);
    cropInto(base, p, pose.inputSize, input, i * W * H * 3);
    if (flip) cropInto(base, { ...p, flip: true }, pose.inputSize, input, (n + i) * W * H * 3);
    return p;
  });
  const heat = tf.tidy(() => tf.sigmoid(pose.apply(tf.tensor4d(input, [(flip ? 2 : 1) * n, H, W, 3]))));
  const [, oh, ow] = heat.shape;
  const data = (await heat.data()) as Float32Array;
  heat.dispose();
  const os = pose.outputStride;
  const per = oh * ow * 17;
  return placements.map((p, i) => {
    const maps = data.subarray(i * per, (i + 1) * per);
    if (flip) {
      // the mirrored crop's cell (x, y) of channel j is this crop's cell (ow - 1 - x, y) of channel COCO_FLIP[j]
      const m = data.subarray((n + i) * per, (n + i + 1) * per);
      for (let y = 0; y < oh; y++) {
        for (let x = 0; x < ow; x++) {
          const o = (y * ow + x) * 17;
          const f = (y * ow + (ow - 1 - x)) * 17;
          for (let j = 0; j < 17; j++) maps[o + j] = (maps[o + j] + m[f + COCO_FLIP[j]]) / 2;
        }
      }
    }
    const kp = decodePose(maps, ow, oh);
    for (let j = 0; j < 17; j++) {
      const [x, y] = cropToBase((kp[3 * j] + 0.5) * os, (kp[3 * j + 1] + 0.5) * os, p, W);
      kp[3 * j] = x;
      kp[3 * j + 1] = y;
    }
    return kp;
  });
}
