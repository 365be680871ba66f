// Minimal PNG writer for test fixtures: 8-bit grey, 16-bit grey and 8-bit palette images,
// unfiltered rows, so the tests control the exact stored sample values.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { deflateSync } from 'node:zlib';

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(buf: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  Buffer.from(data).copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** PNG bytes. colorType 0 (grey, depth 8 or 16) or 3 (palette, depth 8, `palette` RGB triples). */
export function pngBytes(width: number, height: number, values: ArrayLike<number>, colorType: 0 | 3, depth: 8 | 16 = 8, palette?: number[]): Buffer {
  const bytesPer = depth / 8;
  const raw = Buffer.alloc(height * (1 + width * bytesPer));
  for (let y = 0; y < height; y++) {
    const base = y * (1 + width * bytesPer);
    raw[base] = 0; // filter: none
    for (let x = 0; x < width; x++) {
      const v = values[y * width + x];
      if (depth === 16) raw.writeUInt16BE(v, base + 1 + 2 * x);
      else raw[base + 1 + x] = v;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = depth;
  ihdr[9] = colorType;
  const parts = [Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr)];
  if (colorType === 3) parts.push(chunk('PLTE', Uint8Array.from(palette ?? Array.from({ length: 256 * 3 }, (_, i) => (i * 7) & 0xff))));
  parts.push(chunk('IDAT', deflateSync(raw)), chunk('IEND', new Uint8Array(0)));
  return Buffer.concat(parts);
}

async function put(file: string, bytes: Buffer): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, bytes);
}

export const writeGrey8 = (file: string, w: number, h: number, v: ArrayLike<number>) => put(file, pngBytes(w, h, v, 0, 8));
export const writeGrey16 = (file: string, w: number, h: number, v: ArrayLike<number>) => put(file, pngBytes(w, h, v, 0, 16));
export const writePalette = (file: string, w: number, h: number, v: ArrayLike<number>) => put(file, pngBytes(w, h, v, 3, 8));
