// COCO's compressed RLE string (pycocotools rleToString / rleFrString): each count, from the
// fourth on stored as the difference to the count two places before it, is written like signed
// LEB128 but with 5 data bits per character (bit 0x20 = more follows, bit 0x10 of the last
// character = sign) and the character offset by 48, so only '0'..'o' occur.
import type { Rle } from '../types.ts';

let buf = new Uint8Array(4096);
const ascii = new TextDecoder('latin1');

/** The compressed counts string of `rle` (byte-identical to pycocotools). */
export function toString(rle: Rle): string {
  const c = rle.counts;
  const m = c.length;
  // A difference of two uint32 counts needs at most 34 bits (with sign): 7 characters.
  if (buf.length < m * 7) buf = new Uint8Array(Math.max(m * 7, buf.length * 2));
  let p = 0;
  for (let i = 0; i < m; i++) {
    let x = c[i];
    if (i > 2) x -= c[i - 2];
    for (;;) {
      let ch = x & 0x1f; // low 5 bits of the two's complement value
      x = Math.floor(x / 32); // arithmetic shift right by 5
      const more = ch & 0x10 ? x !== -1 : x !== 0;
      if (more) ch |= 0x20;
      buf[p++] = ch + 48;
      if (!more) break;
    }
  }
  return ascii.decode(buf.subarray(0, p));
}

/** Decoded counts, or a description of why `s` is not a well-formed compressed string. */
export function parseCounts(s: string): Uint32Array | string {
  const n = s.length;
  const cnts = new Uint32Array(n);
  let m = 0;
  let p = 0;
  while (p < n) {
    let x = 0;
    let k = 0;
    let more = true;
    while (more) {
      if (p >= n) return `counts string ends inside a value (at character ${p})`;
      const code = s.charCodeAt(p);
      if (code < 48 || code > 111) return `counts string has character ${JSON.stringify(s[p])} at ${p}, outside '0'..'o'`;
      const c = code - 48;
      x += (c & 0x1f) * 2 ** (5 * k);
      more = (c & 0x20) !== 0;
      p++;
      k++;
      if (!more && c & 0x10) x -= 2 ** (5 * k); // sign-extend
    }
    if (k > 7) return `counts string has a value of ${k} characters at ${p - k} (at most 7 fit 32 bits)`;
    if (m > 2) x += cnts[m - 2];
    if (x < 0 || x > 0xffffffff) return `counts string decodes to run ${m} = ${x}, outside 0..2^32-1`;
    cnts[m++] = x;
  }
  return cnts.slice(0, m);
}

/**
 * The RLE of compressed string `s` for an h x w image (pycocotools rleFrString). Input that
 * pycocotools would read out of bounds or wrap (a truncated last value, characters outside
 * '0'..'o', runs outside 0..2^32-1) throws a RangeError. The counts are not checked against h * w
 * here; fromJson does that.
 */
export function fromString(s: string, h: number, w: number): Rle {
  const r = parseCounts(s);
  if (typeof r === 'string') throw new RangeError(`fromString: ${r}`);
  return { h, w, counts: r };
}
