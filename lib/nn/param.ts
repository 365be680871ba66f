// A trainable parameter: a named tf.Variable. Models list theirs in a fixed order, the order in
// which weights are flattened, averaged across replicas and checkpointed. Shared by the task
// models (lib/models) and the realistic-anonymization generator (lib/anonymize/realistic).
import type * as tf from '@tensorflow/tfjs';

export interface Param {
  /** Stable name, e.g. `down0.conv1.kernel`. */
  readonly name: string;
  readonly variable: tf.Variable;
}

/** Total number of scalar parameters. */
export function countParams(model: { readonly params: readonly Param[] }): number {
  let n = 0;
  for (const p of model.params) n += p.variable.size;
  return n;
}
