// Shared by the training tests: a seeded generator of test data and a relative comparison.
import { InitRng } from '../../lib/nn/init.ts';

export function randomArray(size: number, key: string, scale = 1): Float32Array {
  const rng = new InitRng(key);
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) out[i] = rng.normal() * scale;
  return out;
}

export function randomInt(rng: InitRng, lo: number, hi: number): number {
  return lo + (rng.u32() % (hi - lo + 1));
}

/** max |a - b| / max(max |b|, tiny). */
export function relMaxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} != ${b.length}`);
  let d = 0;
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    d = Math.max(d, Math.abs(a[i] - b[i]));
    m = Math.max(m, Math.abs(b[i]));
  }
  return d / Math.max(m, 1e-30);
}
