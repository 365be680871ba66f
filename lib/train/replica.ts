// One model replica: loads flat weights, writes per-parameter tensors (gradients) into a flat
// array, and computes the summed pixel cross-entropy and its gradient on a batch (or a shard of
// one). Used by every data-parallel worker.
import * as tf from '@tensorflow/tfjs';
import type { SegmentationModel } from '../models/model.ts';
import { crossEntropySum, prepareLabels } from './loss.ts';

export interface ParamInfo {
  name: string;
  shape: number[];
  offset: number;
  size: number;
}

export function paramLayout(model: SegmentationModel): ParamInfo[] {
  let offset = 0;
  return model.params.map((p) => {
    const info = { name: p.name, shape: p.variable.shape.slice(), offset, size: p.variable.size };
    offset += p.variable.size;
    return info;
  });
}

export class Replica {
  readonly layout: ParamInfo[];
  readonly size: number;

  constructor(readonly model: SegmentationModel) {
    this.layout = paramLayout(model);
    this.size = this.layout.reduce((s, p) => s + p.size, 0);
  }

  /** Copies the model's weights into `out` (flat, parameter order). */
  readWeights(out: Float32Array): void {
    for (const [i, p] of this.layout.entries()) out.set(this.model.params[i].variable.dataSync() as Float32Array, p.offset);
  }

  /** Sets the model's weights from `flat` (copied; `flat` may be shared memory). */
  loadWeights(flat: Float32Array): void {
    if (flat.length !== this.size) throw new Error(`weights have ${flat.length} values, the model ${this.size}`);
    for (const [i, p] of this.layout.entries()) {
      const t = tf.tensor(flat.slice(p.offset, p.offset + p.size), p.shape);
      this.model.params[i].variable.assign(t);
      t.dispose();
    }
  }

  /** Writes tensors in parameter order (e.g. gradients) into `out` (flat, parameter order). */
  writeFlat(tensors: readonly (tf.Tensor | undefined)[], out: Float32Array): void {
    if (tensors.length !== this.layout.length) throw new Error(`${tensors.length} tensors for ${this.layout.length} parameters`);
    if (out.length !== this.size) throw new Error(`output has ${out.length} values, the model ${this.size}`);
    for (const [i, p] of this.layout.entries()) {
      const t = tensors[i];
      if (!t) throw new Error(`no gradient for ${p.name}`);
      if (t.size !== p.size) throw new Error(`${p.name}: ${t.size} values, the parameter has ${p.size}`);
      out.set(t.dataSync() as Float32Array, p.offset);
    }
  }

  /**
   * Loss summed over labelled pixels and its gradient (written into `gradOut`) for images
   * x [N,H,W,C] and labels [N,H,W] (ignoreIndex marks unlabelled pixels).
   */
  gradients(x: Float32Array, shape: number[], labels: Int32Array, ignoreIndex: number, gradOut: Float32Array): { lossSum: number; count: number } {
    const [n, h, w, c] = shape;
    if (x.length !== n * h * w * c) throw new Error(`images have ${x.length} values, shape [${shape}] needs ${n * h * w * c}`);
    if (labels.length !== n * h * w) throw new Error(`labels have ${labels.length} values, [${n},${h},${w}] needs ${n * h * w}`);
    const { index, count } = prepareLabels(labels, this.model.numClasses, ignoreIndex);
    const vars = this.model.params.map((p) => p.variable);
    return tf.tidy(() => {
      const xt = tf.tensor4d(x, [n, h, w, c]);
      const { value, grads } = tf.variableGrads(() => crossEntropySum(this.model.apply(xt), index), vars);
      this.writeFlat(vars.map((v) => grads[v.name]), gradOut);
      return { lossSum: value.dataSync()[0], count };
    });
  }
}
