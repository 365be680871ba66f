// Top-down person keypoints on a person box: the box, enlarged by `expand` to the input's aspect
// ratio, is cut out of the image and resized to `inputSize`; a small encoder-decoder (the shared
// backbone, lib/models/backbone.ts, under the parameter prefix `pose.`) gives 17 keypoint
// heatmap logits at its output stride. This is the second stage of the keypoints model, in the
// role of Keypoint R-CNN's keypoint head on RoIAligned boxes (He et al. 2017, "Mask R-CNN"), with
// the whole-crop heatmaps of the top-down pose networks (Xiao et al. 2018, "Simple Baselines for
// Human Pose Estimation"): every person is seen at one scale, which a single-stage model of this
// size does not manage (docs/train.md). Crops: lib/train/pose-crops.ts; decoding: decode-pose.ts.
import type * as tf from '@tensorflow/tfjs';
import { createBackbone, resolveBackbone, type BackboneOptions } from './backbone.ts';
import type { Param } from '../nn/param.ts';
import { HEATMAP_PRIOR } from './instances.ts';
import type { KeypointBox } from './keypoint-box.ts';

export interface PoseOptions extends Omit<BackboneOptions, 'inChannels'> {
  /** Crop size [width, height] fed to the network, multiples of 32 (default [32, 64]). */
  inputSize?: [number, number];
  /** The person box is enlarged by this factor (then to the input's aspect) before cropping (default 1.25). */
  expand?: number;
  /** How a box extends beyond its keypoints, measured on the training split (keypoint-box.ts):
   * prediction re-crops each person around the box its keypoints imply. Absent: no re-cropping. */
  keypointBox?: KeypointBox;
}

export interface ResolvedPose extends Required<Omit<PoseOptions, 'blocks' | 'keypointBox' | 'pretrained' | 'headBlocks' | 'fineTune'>> {
  blocks: number[];
  keypointBox?: KeypointBox;
}

export interface PoseNet {
  readonly inputSize: [number, number];
  readonly outputStride: number;
  readonly expand: number;
  readonly params: Param[];
  /** The options that rebuild it. */
  readonly config: ResolvedPose;
  /** Crops [N, inputSize[1], inputSize[0], 3] -> heatmap logits [N, h / os, w / os, 17]. */
  apply(x: tf.Tensor4D): tf.Tensor4D;
  dispose(): void;
}

export const POSE_PREFIX = 'pose.';

export function resolvePose(opts: PoseOptions = {}): ResolvedPose {
  const r = resolveBackbone({ ...opts, inChannels: 3, width: opts.width ?? 16, decoderWidth: opts.decoderWidth ?? 32, outputStride: opts.outputStride ?? 2 });
  const inputSize = opts.inputSize ?? [32, 64];
  if (inputSize.length !== 2 || inputSize.some((d) => !Number.isInteger(d) || d < 32 || d % 32 !== 0)) throw new RangeError(`pose inputSize must be two multiples of 32, got [${inputSize}]`);
  const expand = opts.expand ?? 1.25;
  if (!(expand >= 1)) throw new RangeError(`pose expand must be >= 1, got ${expand}`);
  if (r.pretrained) throw new RangeError('the pose stage has no pretrained encoder');
  const { inChannels: _c, pretrained: _p, headBlocks: _h, fineTune: _f, ...rest } = r;
  return opts.keypointBox ? { ...rest, inputSize: [inputSize[0], inputSize[1]], expand, keypointBox: { ...opts.keypointBox } } : { ...rest, inputSize: [inputSize[0], inputSize[1]], expand };
}

export function createPoseNet(opts: PoseOptions = {}): PoseNet {
  const p = resolvePose(opts);
  const bias = new Float32Array(17).fill(Math.log(HEATMAP_PRIOR / (1 - HEATMAP_PRIOR)));
  const net = createBackbone({ ...p, inChannels: 3 }, 17, bias, POSE_PREFIX);
  return {
    inputSize: p.inputSize,
    outputStride: p.outputStride,
    expand: p.expand,
    params: net.params,
    config: p,
    apply: (x) => net.apply(x),
    dispose: () => net.dispose(),
  };
}
