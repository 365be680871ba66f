// The data order of a run as a pure function of (seed, step): the stream of sample indices is a
// concatenation of seeded permutations of the training set (one per epoch, Fisher-Yates), and
// batch `step` takes its `batchSize` consecutive entries; each sample's augmentation draws from a
// generator keyed by (seed, step, position in the batch). A resumed run therefore needs only the
// seed and the step to continue exactly.
import { InitRng } from '../nn/init.ts';

const permCache = new Map<string, Int32Array>();

/** The seeded permutation of 0..n-1 for epoch `epoch`. */
export function epochPermutation(seed: number, epoch: number, n: number): Int32Array {
  const key = `${seed}/${epoch}/${n}`;
  const hit = permCache.get(key);
  if (hit) return hit;
  const rng = new InitRng(`${seed}/order/epoch${epoch}`);
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    // unbiased integer in [0, i] by rejection
    const bound = i + 1;
    const limit = Math.floor(4294967296 / bound) * bound;
    let r: number;
    do r = rng.u32();
    while (r >= limit);
    const j = r % bound;
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  if (permCache.size > 8) permCache.delete(permCache.keys().next().value as string);
  permCache.set(key, p);
  return p;
}

/** Sample indices of batch `step`. */
export function batchIndices(seed: number, step: number, batchSize: number, n: number): number[] {
  if (n <= 0) throw new Error('the training split has no samples');
  const out: number[] = [];
  for (let b = 0; b < batchSize; b++) {
    const c = step * batchSize + b;
    const epoch = Math.floor(c / n);
    out.push(epochPermutation(seed, epoch, n)[c % n]);
  }
  return out;
}

/** The generator of step `step`'s pose-stage crops (lib/train/pose-crops.ts). */
export function poseRng(seed: number, step: number): InitRng {
  return new InitRng(`${seed}/pose/step${step}`);
}

/** The generator of sample `b`'s augmentation in batch `step`. */
export function augmentRng(seed: number, step: number, b: number): InitRng {
  return new InitRng(`${seed}/augment/step${step}/${b}`);
}
