// A task model as the training stage sees it: a SegmentationModel (params + forward) whose output
// channels are split into named heads (semantic logits, heatmap logits, offsets, ...).
import * as tf from '@tensorflow/tfjs';
import type { SegmentationModel } from './model.ts';
import type { PoseNet } from './pose.ts';

export type Task = 'semseg' | 'instances' | 'keypoints';
export const TASKS: readonly Task[] = ['semseg', 'instances', 'keypoints'];

export interface HeadSlice {
  /** First output channel of the head. */
  offset: number;
  /** Number of channels. */
  count: number;
}

export interface DenseModel extends SegmentationModel {
  readonly task: Task;
  /** Output stride of the prediction maps relative to the input. */
  readonly outputStride: number;
  /** Channel ranges of the heads within the output, in channel order. */
  readonly heads: Readonly<Record<string, HeadSlice>>;
  /** keypoints: the top-down pose stage on person boxes, when the model has one (lib/models/pose.ts);
   * its parameters are part of `params`, but `apply` runs the first stage only. */
  readonly pose?: PoseNet;
}

/** Heads laid out one after the other from channel 0. */
export function layoutHeads(counts: [string, number][]): Record<string, HeadSlice> {
  const out: Record<string, HeadSlice> = {};
  let offset = 0;
  for (const [name, count] of counts) {
    out[name] = { offset, count };
    offset += count;
  }
  return out;
}

export function totalChannels(heads: Readonly<Record<string, HeadSlice>>): number {
  return Object.values(heads).reduce((s, h) => Math.max(s, h.offset + h.count), 0);
}

/** One head's channels of an output [N,H,W,C]. */
export function headOf(model: Pick<DenseModel, 'heads'>, out: tf.Tensor4D, name: string): tf.Tensor4D {
  const h = model.heads[name];
  if (!h) throw new Error(`model has no head '${name}'`);
  return tf.slice(out, [0, 0, 0, h.offset], [-1, -1, -1, h.count]);
}
