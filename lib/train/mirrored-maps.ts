// Test-time flip averaging of the instance model (as Panoptic-DeepLab's and Mask R-CNN's
// evaluations often add): the maps the model gives for the mirrored image, mirrored back so that
// they describe the image itself, to be averaged with its own. The canvas is a multiple of the
// output stride wide, so output column u of the mirror is column W - 1 - u of the original; the
// offsets' x component (the second of dy, dx) changes sign and the box's left and right
// distances (l, t, r, b) swap.
import * as tf from '@tensorflow/tfjs';
import type { DenseModel } from '../models/dense.ts';

/** The raw output of `model` on x mirrored left-right, mirrored back into x's frame. */
export function mirroredInstanceMaps(model: DenseModel, x: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const y = tf.reverse(model.apply(tf.reverse(x, 2) as tf.Tensor4D), 2) as tf.Tensor4D;
    const C = y.shape[3];
    const order = Array.from({ length: C }, (_, i) => i);
    const sign = new Float32Array(C).fill(1);
    if (!model.heads.offset) throw new Error(`mirroredInstanceMaps: the ${model.task} model has no offset head`);
    sign[model.heads.offset.offset + 1] = -1;
    const box = model.heads.box?.offset;
    if (box !== undefined) [order[box], order[box + 2]] = [box + 2, box];
    return tf.mul(tf.gather(y, order, 3), tf.tensor1d(sign)) as tf.Tensor4D;
  });
}
