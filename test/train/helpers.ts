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

/** max |a - b| / max(max |b|, tiny) (Infinity where a NaN is compared), as the backend parity check measures it. */
export { relMaxDiff } from '../../lib/nn/runtime/parity.ts';
