// The random numbers an anonymizer may draw for one image (a realistic generator's latent
// code, a random fill). Each image gets its own stream, derived from (run seed, sample id)
// alone, so the output of an image does not depend on which worker handles it, in which order,
// or whether the run was interrupted and resumed.
//
// Stream: xoshiro128** (Blackman & Vigna, 2018) on 32-bit integers, its 128-bit state taken
// from SHA-256 of the key `anon-impact/anonymize/<seed>/<sample id>` (the first 16 bytes,
// little-endian words). Hashing the full key keeps different sample ids' streams apart (a
// 32-bit key hash would give two of COCO's 118k images the same stream with high probability).
import { createHash } from 'node:crypto';

export interface ImageRng {
  /** The 128-bit seed in hex (to seed another generator, e.g. a tfjs op, reproducibly). */
  readonly key: string;
  /** A uniform 32-bit unsigned integer. */
  u32(): number;
  /** Uniform in [0, 1), 32 bits of resolution. */
  next(): number;
  /** Standard normal (Box-Muller on two uniforms, no cached second value). */
  normal(): number;
  /** An independent stream for a named part (e.g. one per region): same key rule, extended. */
  fork(label: string): ImageRng;
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

class Xoshiro128ss implements ImageRng {
  readonly key: string;
  private readonly s = new Uint32Array(4);
  private readonly material: string;

  constructor(material: string) {
    this.material = material;
    const h = createHash('sha256').update(material, 'utf8').digest();
    for (let i = 0; i < 4; i++) this.s[i] = h.readUInt32LE(4 * i);
    // The all-zero state is the one xoshiro cannot leave (probability 2^-128, but be exact).
    if ((this.s[0]! | this.s[1]! | this.s[2]! | this.s[3]!) === 0) this.s[0] = 1;
    this.key = h.subarray(0, 16).toString('hex');
  }

  u32(): number {
    const s = this.s;
    const r = Math.imul(rotl(Math.imul(s[1]!, 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1]! << 9) >>> 0;
    s[2]! ^= s[0]!;
    s[3]! ^= s[1]!;
    s[1]! ^= s[2]!;
    s[0]! ^= s[3]!;
    s[2]! ^= t;
    s[3] = rotl(s[3]!, 11);
    return r;
  }

  next(): number {
    return this.u32() / 4294967296;
  }

  normal(): number {
    // 1 - next() is in (0, 1]: log never sees 0.
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  fork(label: string): ImageRng {
    return new Xoshiro128ss(`${this.material}/${label}`);
  }
}

/** The stream of one image of a run. */
export function imageRng(seed: number, sampleId: string): ImageRng {
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a safe integer, got ${seed}`);
  return new Xoshiro128ss(`anon-impact/anonymize/${seed}/${sampleId}`);
}
