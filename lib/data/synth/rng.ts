// The synthetic generator's random numbers: one generator per sample (lib/data/rng.ts).
import { Rng } from '../rng.ts';

export { Rng };

/** The generator of one sample: depends only on (seed, split, index). */
export function sampleRng(seed: number, split: string, index: number): Rng {
  return new Rng(`anon-impact-synth/${seed}/${split}/${index}`);
}
