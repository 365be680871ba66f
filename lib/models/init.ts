// Seeded weight initialisation, independent of the tfjs version and backend: values are drawn in
// JavaScript from a 32-bit generator (splitmix32 seeding xoshiro128**, Blackman & Vigna) and
// uploaded as tensors, so a seed gives the same initial weights everywhere.

/** 32-bit FNV-1a of a string. */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** A seeded generator keyed by a string (e.g. `${seed}/down0.conv1.kernel`), so that every
 * parameter's values depend only on the seed and its name, not on creation order. */
export class InitRng {
  private readonly s = new Uint32Array(4);

  constructor(key: string) {
    let x = fnv1a(key);
    for (let i = 0; i < 4; i++) {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      this.s[i] = (z ^ (z >>> 16)) >>> 0;
    }
    if ((this.s[0] | this.s[1] | this.s[2] | this.s[3]) === 0) this.s[0] = 1;
  }

  /** xoshiro128**: a uniform 32-bit unsigned integer. */
  u32(): number {
    const s = this.s;
    const r = Math.imul(rotl(Math.imul(s[1], 5) >>> 0, 7), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return r;
  }

  /** Uniform in (0, 1]. */
  uniformOpen(): number {
    return (this.u32() + 1) / 4294967296;
  }

  /** Standard normal by Box-Muller (one value per call). */
  normal(): number {
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
