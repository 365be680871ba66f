// Shared fixtures for the anonymization tests. The goldens in these tests were computed with
// Debian bookworm's python3-opencv 4.6.0, python3-skimage 0.19.3 and numpy 1.24.2 from images
// made by the same generator in Python:
//   def lcg_bytes(seed, n):
//       x = seed; out = []
//       for _ in range(n):
//           x = (1664525 * x + 1013904223) % 2**32
//           out.append(x >> 24)
//       return np.array(out, np.uint8)
import type { Image } from '../../lib/data/image.ts';

/** Numerical Recipes' 32-bit LCG, top byte of each state: the generator above. */
export function lcgBytes(seed: number, n: number): Uint8Array {
  let x = seed >>> 0;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    x = (Math.imul(1664525, x) + 1013904223) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

export function lcgImage(seed: number, width: number, height: number, channels = 3): Image {
  return { width, height, channels, data: lcgBytes(seed, width * height * channels) };
}

export function fromBase64(s: string): Uint8Array {
  return new Uint8Array(Buffer.from(s, 'base64'));
}

/** A mask from a predicate on (x, y). */
export function maskFrom(width: number, height: number, inside: (x: number, y: number) => boolean): Uint8Array {
  const m = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) if (inside(x, y)) m[y * width + x] = 1;
  return m;
}

/** Region pixels of `img` in raster order, channels interleaved. */
export function regionBytes(img: Image, mask: Uint8Array): Uint8Array {
  const out: number[] = [];
  for (let p = 0; p < mask.length; p++) if (mask[p]) for (let c = 0; c < img.channels; c++) out.push(img.data[p * img.channels + c]!);
  return Uint8Array.from(out);
}

/** Indices of pixels (not bytes) where two images differ. */
export function differingPixels(a: Image, b: Image): number[] {
  const out: number[] = [];
  const C = a.channels;
  for (let p = 0; p < a.width * a.height; p++) {
    for (let c = 0; c < C; c++) {
      if (a.data[p * C + c] !== b.data[p * C + c]) {
        out.push(p);
        break;
      }
    }
  }
  return out;
}

/** A copy of `img` whose region pixels are replaced by other values (a second LCG stream). */
export function scrambleRegion(img: Image, mask: Uint8Array, seed: number): Image {
  const data = new Uint8Array(img.data);
  const noise = lcgBytes(seed, data.length);
  for (let p = 0; p < mask.length; p++) if (mask[p]) for (let c = 0; c < img.channels; c++) data[p * img.channels + c] = noise[p * img.channels + c]! ^ 0x5a;
  return { ...img, data };
}
