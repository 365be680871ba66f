// Semantic segmentation (the FCN of Zhou & Beyerer's study, Long et al. 2015, as a small stand-in):
// the residual encoder-decoder of backbone.ts with one head of per-pixel class logits at the
// output stride; the trainer and the prediction export up-sample the logits bilinearly.
// Classes: Cityscapes' 19 train ids (255 ignored) or, for other datasets, background + the
// dataset's categories (see lib/train/targets.ts).
import type * as tf from '@tensorflow/tfjs';
import { createBackbone, resolveBackbone, type BackboneOptions } from './backbone.ts';
import { layoutHeads, totalChannels, type DenseModel } from './dense.ts';

export interface SemsegOptions extends BackboneOptions {
  /** Number of classes (default 19, Cityscapes train ids). */
  numClasses?: number;
}

export function createSemsegModel(opts: SemsegOptions = {}): DenseModel {
  const numClasses = opts.numClasses ?? 19;
  if (!Number.isInteger(numClasses) || numClasses < 2) throw new RangeError(`semseg numClasses must be an integer >= 2, got ${numClasses}`);
  const r = resolveBackbone(opts);
  const heads = layoutHeads([['semantic', numClasses]]);
  const net = createBackbone(r, totalChannels(heads));
  return {
    task: 'semseg',
    kind: 'semseg',
    inChannels: r.inChannels,
    numClasses: totalChannels(heads),
    outputStride: r.outputStride,
    heads,
    params: net.params,
    config: { task: 'semseg', ...r, numClasses },
    apply: (x: tf.Tensor4D) => net.apply(x),
    dispose: () => net.dispose(),
  };
}
