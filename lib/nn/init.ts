// Seeded weight initialisation, independent of the tfjs version and backend: values are drawn in
// JavaScript from a 32-bit generator (splitmix32 seeding xoshiro128**, Blackman & Vigna) and
// uploaded as tensors, so a seed gives the same initial weights everywhere.
import { Rng } from '../data/rng.ts';

/** A seeded generator keyed by a string (e.g. `${seed}/down0.conv1.kernel`), so that every
 * parameter's values depend only on the seed and its name, not on creation order. */
export class InitRng extends Rng {
  /** Uniform in (0, 1]. */
  uniformOpen(): number {
    return (this.u32() + 1) / 4294967296;
  }

  /** Standard normal by Box-Muller (one value per call), both uniforms in (0, 1]. */
  override normal(): number {
    const u = this.uniformOpen();
    const v = this.uniformOpen();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}

/**
 * He (Kaiming) normal initialisation for a ReLU network, N(0, 2 / fan_in) with
 * fan_in = kh * kw * inChannels, as in He et al. 2015 (and torch.nn.init.kaiming_normal_ with
 * mode='fan_in', nonlinearity='relu'), not truncated.
 */
export function heNormal(size: number, fanIn: number, seed: number, name: string): Float32Array {
  const rng = new InitRng(`${seed}/${name}`);
  const sd = Math.sqrt(2 / fanIn);
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) out[i] = rng.normal() * sd;
  return out;
}
