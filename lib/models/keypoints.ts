// Person keypoints (17 COCO keypoints), a small single-stage stand-in for Keypoint R-CNN in the
// style of CenterNet's multi-person pose (Zhou et al. 2019, "Objects as Points"): on the shared
// encoder-decoder, at the output stride:
//   center     1 logit: person-centre heatmap (the centre of the person's box; sigmoid)
//   keypoints  17 logits: one heatmap per keypoint type (sigmoid)
//   offsets    34 channels (dx, dy per keypoint): from the person centre to each keypoint, in
//              output pixels divided by OFFSET_SCALE
//   size       2 channels (log w, log h) of the person box in output pixels
//   local      2 channels (dx, dy): sub-pixel position of a keypoint within its heatmap peak pixel
//   semantic   2 logits (background, person): the person masks, a dense auxiliary task (as Mask
//              R-CNN's mask branch beside Keypoint R-CNN's) that trains the shared features much
//              faster than the sparse heatmap and regression targets alone
// Grouping and scores are lib/models/decode-keypoints.ts.
// With `pose` options the model has a second stage, the top-down pose network of lib/models/pose.ts
// (parameters after the first stage's, named pose.*): prediction then takes the people (centres and
// boxes) from the first stage and their keypoints from the pose network on each person's box.
import type * as tf from '@tensorflow/tfjs';
import { createBackbone, resolveBackbone, type BackboneOptions } from './backbone.ts';
import { layoutHeads, totalChannels, type DenseModel } from './dense.ts';
import { HEATMAP_PRIOR } from './instances.ts';
import { createPoseNet, type PoseOptions } from './pose.ts';

export { OFFSET_SCALE } from './instances.ts';

export const NUM_KEYPOINTS = 17;

/** COCO keypoint order; flipping an image swaps each left/right pair. */
export const COCO_KEYPOINTS: readonly string[] = [
  'nose', 'left_eye', 'right_eye', 'left_ear', 'right_ear', 'left_shoulder', 'right_shoulder', 'left_elbow', 'right_elbow',
  'left_wrist', 'right_wrist', 'left_hip', 'right_hip', 'left_knee', 'right_knee', 'left_ankle', 'right_ankle',
];

/** Index of each keypoint's mirror image under a horizontal flip. */
export const COCO_FLIP: readonly number[] = [0, 2, 1, 4, 3, 6, 5, 8, 7, 10, 9, 12, 11, 14, 13, 16, 15];

export interface KeypointsOptions extends BackboneOptions {
  /** The top-down pose stage (absent: single-stage, keypoints from the heads above). Its seed is the model's. */
  pose?: PoseOptions;
}

export function createKeypointsModel(opts: KeypointsOptions = {}): DenseModel {
  const r = resolveBackbone(opts);
  const heads = layoutHeads([
    ['center', 1],
    ['keypoints', NUM_KEYPOINTS],
    ['offsets', 2 * NUM_KEYPOINTS],
    ['size', 2],
    ['local', 2],
    ['semantic', 2],
  ]);
  const bias = new Float32Array(totalChannels(heads));
  const prior = Math.log(HEATMAP_PRIOR / (1 - HEATMAP_PRIOR));
  for (let c = 0; c < 1 + NUM_KEYPOINTS; c++) bias[c] = prior;
  const net = createBackbone(r, totalChannels(heads), bias);
  const pose = opts.pose ? createPoseNet({ ...opts.pose, seed: r.seed }) : undefined;
  return {
    task: 'keypoints',
    kind: 'keypoints',
    inChannels: r.inChannels,
    numClasses: totalChannels(heads),
    outputStride: r.outputStride,
    heads,
    params: pose ? [...net.params, ...pose.params] : net.params,
    pose,
    config: pose ? { task: 'keypoints', ...r, pose: pose.config } : { task: 'keypoints', ...r },
    apply: (x: tf.Tensor4D) => net.apply(x),
    dispose: () => {
      net.dispose();
      pose?.dispose();
    },
  };
}
