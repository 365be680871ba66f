// Keypoints of people in a base-size image from the pose stage (lib/models/pose.ts): every box
// is cropped as in training (lib/train/pose-crops.ts, no jitter, no flip), the crops run through
// the pose network in one batch, and each heatmap is decoded (lib/models/decode-pose.ts) and
// mapped back: heatmap cell u lies at crop coordinate (u + 0.5) * outputStride, and the crop
// transform is inverted to base-size coordinates. With `iterations` > 0 and the network's
// box-from-keypoints ratios (lib/models/keypoint-box.ts), each person is cropped again around the
// box its keypoints scoring >= KEYPOINT_BOX_SCORE imply (its previous box when fewer than 4 do),
// that many times.
import * as tf from '@tensorflow/tfjs';
import type { Box } from '../data/types.ts';
import { decodePose } from '../models/decode-pose.ts';
import { boxFromKeypoints } from '../models/keypoint-box.ts';
import type { PoseNet } from '../models/pose.ts';
import type { BaseSample } from './loader.ts';
import { cropInto, cropToBase, poseCropParams } from './pose-crops.ts';

/** Keypoints that place a re-cropped box score at least this. */
export const KEYPOINT_BOX_SCORE = 0.1;

/** 17 x (x, y, score) in base-size coordinates for each box (base-size pixels). */
export function poseKeypoints(pose: PoseNet, base: BaseSample, boxes: readonly Box[], iterations = 0): Float32Array[] {
  let kps = posePass(pose, base, boxes);
  const r = pose.config.keypointBox;
  for (let it = 0; r && it < iterations; it++) {
    const next = kps.map((kp, i) => boxFromKeypoints(kp, r, KEYPOINT_BOX_SCORE) ?? boxes[i]);
    kps = posePass(pose, base, next);
    boxes = next;
  }
  return kps;
}

/** One pass of the pose network over the boxes. */
function posePass(pose: PoseNet, base: BaseSample, boxes: readonly Box[]): Float32Array[] {
  if (boxes.length === 0) return [];
  const [W, H] = pose.inputSize;
  const input = new Float32Array(boxes.length * W * H * 3);
  const placements = boxes.map((b, i) => {
    const p = poseCropParams(b, pose.inputSize, pose.expand);
    cropInto(base, p, pose.inputSize, input, i * W * H * 3);
    return p;
  });
  const heat = tf.tidy(() => tf.sigmoid(pose.apply(tf.tensor4d(input, [boxes.length, H, W, 3]))));
  const [, oh, ow] = heat.shape;
  const data = heat.dataSync() as Float32Array;
  heat.dispose();
  const os = pose.outputStride;
  return placements.map((p, i) => {
    const kp = decodePose(data.subarray(i * oh * ow * 17, (i + 1) * oh * ow * 17), ow, oh);
    for (let j = 0; j < 17; j++) {
      const [x, y] = cropToBase((kp[3 * j] + 0.5) * os, (kp[3 * j + 1] + 0.5) * os, p, W);
      kp[3 * j] = x;
      kp[3 * j + 1] = y;
    }
    return kp;
  });
}
