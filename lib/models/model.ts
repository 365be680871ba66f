// What a trainable model is to the training stage: its parameters (lib/nn/param.ts) in a fixed
// order and a forward function.
import type * as tf from '@tensorflow/tfjs';
import type { Param } from '../nn/param.ts';

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
