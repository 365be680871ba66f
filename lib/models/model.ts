// What a trainable model is to the training stage: named tf.Variables in a fixed order (the order
// in which weights are flattened, averaged across replicas and checkpointed) and a forward function.
import type * as tf from '@tensorflow/tfjs';

export interface Param {
  /** Stable name, e.g. `down0.conv1.kernel`. */
  readonly name: string;
  readonly variable: tf.Variable;
}

/** A dense-prediction model: images NHWC in, per-pixel class logits NHWC out. */
export interface SegmentationModel {
  readonly kind: string;
  readonly inChannels: number;
  readonly numClasses: number;
  /** All trainable parameters, in a fixed order. */
  readonly params: readonly Param[];
  /** Forward pass: x [N,H,W,inChannels] float32 -> logits [N,H,W,numClasses]. */
  apply(x: tf.Tensor4D): tf.Tensor4D;
  /** The options that rebuild this model (for checkpoints and run records). */
  readonly config: Readonly<Record<string, unknown>>;
  dispose(): void;
}

/** Total number of scalar parameters. */
export function countParams(model: Pick<SegmentationModel, 'params'>): number {
  let n = 0;
  for (const p of model.params) n += p.variable.size;
  return n;
}
