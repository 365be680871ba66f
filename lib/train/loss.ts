// Per-pixel softmax cross-entropy over classes with integer labels, as the sum over labelled
// pixels (the caller divides by the count, so that shards of a batch can be added up exactly):
//   loss = sum_{p labelled} ( logsumexp_c z[p,c] - z[p, y_p] ),
// the same quantity as torch.nn.functional.cross_entropy(reduction='sum', ignore_index=...).
// Its gradient is written directly, d loss / d z[p,c] = softmax(z[p])_c - [c = y_p] for labelled
// p and 0 otherwise, instead of differentiating through logsumexp op by op.
import * as tf from '@tensorflow/tfjs';
import { SOFTMAX_CE } from '../nn/ops/softmax-cross-entropy.ts';

export interface LabelBatch {
  /** Class index per pixel, [N,H,W] row-major. */
  labels: Int32Array;
  /** Label value that marks a pixel as unlabelled (default 255). */
  ignoreIndex?: number;
}

/** Checks labels and returns the one-hot index per pixel (-1 for ignored) and the labelled count. */
export function prepareLabels(labels: Int32Array, numClasses: number, ignoreIndex = 255): { index: Int32Array; count: number } {
  const index = new Int32Array(labels.length);
  let count = 0;
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i];
    if (y === ignoreIndex) {
      index[i] = -1;
    } else if (y >= 0 && y < numClasses && Number.isInteger(y)) {
      index[i] = y;
      count++;
    } else {
      throw new RangeError(`label ${y} at pixel ${i} is neither a class in [0, ${numClasses}) nor the ignore index ${ignoreIndex}`);
    }
  }
  return { index, count };
}

/**
 * Summed cross-entropy of logits [N,H,W,C] against one-hot indices (-1 = ignored), as a scalar
 * differentiable with respect to the logits.
 */
export function crossEntropySum(logits: tf.Tensor4D, index: Int32Array): tf.Scalar {
  const [n, h, w, c] = logits.shape;
  const p = n * h * w;
  if (index.length !== p) throw new Error(`labels have ${index.length} pixels, logits ${p}`);
  const fused = tf.getKernel(SOFTMAX_CE, tf.getBackend()) !== undefined;
  const f = tf.customGrad(((z: tf.Tensor, save: tf.GradSaveFunc) => {
    const z2 = tf.reshape(z, [p, c]);
    if (fused) {
      const [value, grad] = tf.engine().runKernel(SOFTMAX_CE, { logits: z2, index: tf.tensor1d(index, 'int32') }, {}) as unknown as [tf.Scalar, tf.Tensor];
      save([grad]);
      return {
        value,
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.reshape(tf.mul(saved[0], dy), [n, h, w, c]),
      };
    }
    // Saved for the gradient function (the engine keeps saved tensors alive until backprop).
    const onehot = tf.oneHot(tf.tensor1d(index, 'int32'), c).toFloat();
    const valid = tf.sum(onehot, 1, true);
    const lse = tf.logSumExp(z2, 1, true);
    const picked = tf.sum(tf.mul(z2, onehot), 1, true);
    const value = tf.sum(tf.mul(tf.sub(lse, picked), valid));
    save([z2, lse, onehot, valid]);
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [zs, lses, oh, va] = saved;
        const prob = tf.exp(tf.sub(zs, lses));
        const g = tf.mul(tf.sub(tf.mul(prob, va), oh), dy);
        return tf.reshape(g, [n, h, w, c]);
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return f(logits) as tf.Scalar;
}
