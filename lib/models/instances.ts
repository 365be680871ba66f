// Single-stage instance segmentation with boxes, a small stand-in for Mask R-CNN in the style of
// Panoptic-DeepLab (Cheng et al. 2020): on the shared encoder-decoder, three heads at the output
// stride:
//   semantic  numClasses logits (stuff and thing classes; softmax)
//   center    1 logit: the class-agnostic instance-centre heatmap (sigmoid)
//   offset    2 channels (dy, dx): from each thing pixel to its instance's centre of mass, in
//             output pixels divided by OFFSET_SCALE
//   box       4 channels: log of the distances (output pixels) from the centre to the box's left,
//             top, right and bottom edges (FCOS's l, t, r, b, Tian et al. 2019), regressed
//             around each centre, so that boxes do not depend on the semantic masks
// Instances are recovered by lib/models/decode-instances.ts.
import type * as tf from '@tensorflow/tfjs';
import { createBackbone, resolveBackbone, type BackboneOptions } from './backbone.ts';
import { layoutHeads, totalChannels, type DenseModel } from './dense.ts';

/** Offsets are regressed in units of OFFSET_SCALE output pixels. */
export const OFFSET_SCALE = 8;

/** Initial heatmap probability (the output bias is its logit, as CenterNet initialises it). */
export const HEATMAP_PRIOR = 0.1;

export interface InstancesOptions extends BackboneOptions {
  /** Semantic classes (default 19, Cityscapes train ids). */
  numClasses?: number;
  /** Class indices that have instances (default: Cityscapes' 11..18, person..bicycle). */
  thingClasses?: number[];
}

export function createInstancesModel(opts: InstancesOptions = {}): DenseModel {
  const numClasses = opts.numClasses ?? 19;
  if (!Number.isInteger(numClasses) || numClasses < 2) throw new RangeError(`instances numClasses must be an integer >= 2, got ${numClasses}`);
  const thingClasses = opts.thingClasses ?? [11, 12, 13, 14, 15, 16, 17, 18];
  for (const c of thingClasses) if (!Number.isInteger(c) || c < 0 || c >= numClasses) throw new RangeError(`thing class ${c} is not in [0, ${numClasses})`);
  const r = resolveBackbone(opts);
  const heads = layoutHeads([
    ['semantic', numClasses],
    ['center', 1],
    ['offset', 2],
    ['box', 4],
  ]);
  const bias = new Float32Array(totalChannels(heads));
  bias[heads.center.offset] = Math.log(HEATMAP_PRIOR / (1 - HEATMAP_PRIOR));
  const net = createBackbone(r, totalChannels(heads), bias);
  return {
    task: 'instances',
    kind: 'instances',
    inChannels: r.inChannels,
    numClasses: totalChannels(heads),
    outputStride: r.outputStride,
    heads,
    params: net.params,
    config: { task: 'instances', ...r, numClasses, thingClasses: [...thingClasses] },
    apply: (x: tf.Tensor4D) => net.apply(x),
    dispose: () => net.dispose(),
  };
}
