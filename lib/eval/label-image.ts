// Reading label maps and binary masks the way cityscapesScripts reads them with PIL:
//  - a label map (`*_labelIds.png`, a labelIds prediction) is `np.array(Image.open(f))`: the
//    stored sample values of a single-channel image. For an 8-bit grey PNG that is the grey
//    value; for a palette PNG (as many segmentation toolkits save their predictions) it is the
//    palette INDEX, not the colour. A PNG with colour channels is an error, as in the script
//    ("Predicted image has multiple channels").
//  - an instance mask (instance-level predictions) is `Image.open(f).convert('L')`, and every
//    nonzero value is inside. PIL's RGB->L is L = (19595 R + 38470 G + 7471 B + 0x8000) >> 16;
//    alpha is dropped; a palette image is converted through its palette colours.
// sharp expands palettes to RGB, so palette indices are decoded here from the PNG itself.
import { readFile } from 'node:fs/promises';
import { inflateSync } from 'node:zlib';
import { decodeImage, decodeImage16 } from '../data/image.ts';

export interface LabelMap {
  width: number;
  height: number;
  /** Row-major sample values. */
  data: Uint8Array;
}

interface PngHeader {
  width: number;
  height: number;
  bitDepth: number;
  colorType: number;
  interlace: number;
}

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function isPng(buf: Uint8Array): boolean {
  return buf.length >= 33 && SIGNATURE.every((b, i) => buf[i] === b);
}

function readHeader(buf: Uint8Array, file: string): PngHeader {
  if (!isPng(buf)) throw new Error(`${file}: not a PNG file`);
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const type = String.fromCharCode(buf[12], buf[13], buf[14], buf[15]);
  if (type !== 'IHDR') throw new Error(`${file}: PNG has no IHDR chunk first`);
  return { width: dv.getUint32(16), height: dv.getUint32(20), bitDepth: buf[24], colorType: buf[25], interlace: buf[28] };
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Palette indices of a non-interlaced palette PNG (bit depth 1, 2, 4 or 8). */
function decodePaletteIndices(buf: Uint8Array, h: PngHeader, file: string): Uint8Array {
  if (h.interlace !== 0) throw new Error(`${file}: interlaced palette PNGs are not supported; save the label map non-interlaced`);
  if (![1, 2, 4, 8].includes(h.bitDepth)) throw new Error(`${file}: palette PNG with bit depth ${h.bitDepth}`);
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const idat: Uint8Array[] = [];
  let off = 8;
  while (off + 8 <= buf.length) {
    const len = dv.getUint32(off);
    const type = String.fromCharCode(buf[off + 4], buf[off + 5], buf[off + 6], buf[off + 7]);
    const start = off + 8;
    if (start + len > buf.length) throw new Error(`${file}: truncated PNG chunk ${type}`);
    if (type === 'IDAT') idat.push(buf.subarray(start, start + len));
    if (type === 'IEND') break;
    off = start + len + 4; // skip the CRC
  }
  if (idat.length === 0) throw new Error(`${file}: PNG has no image data`);
  let raw: Uint8Array;
  try {
    raw = inflateSync(Buffer.concat(idat));
  } catch (e) {
    throw new Error(`${file}: cannot inflate PNG data: ${(e as Error).message}`);
  }
  const { width, height, bitDepth } = h;
  const stride = Math.ceil((width * bitDepth) / 8);
  if (raw.length < height * (stride + 1)) throw new Error(`${file}: truncated PNG image data`);
  const out = new Uint8Array(width * height);
  let prev = new Uint8Array(stride);
  let cur = new Uint8Array(stride);
  const bpp = 1; // bytes per complete pixel, rounded up, for bit depths <= 8
  const perByte = 8 / bitDepth;
  const mask = (1 << bitDepth) - 1;
  for (let y = 0; y < height; y++) {
    const base = y * (stride + 1);
    const filter = raw[base];
    for (let i = 0; i < stride; i++) {
      const x = raw[base + 1 + i];
      const a = i >= bpp ? cur[i - bpp] : 0;
      const b = prev[i];
      const c = i >= bpp ? prev[i - bpp] : 0;
      let v: number;
      switch (filter) {
        case 0: v = x; break;
        case 1: v = x + a; break;
        case 2: v = x + b; break;
        case 3: v = x + ((a + b) >> 1); break;
        case 4: v = x + paeth(a, b, c); break;
        default: throw new Error(`${file}: bad PNG filter type ${filter} in row ${y}`);
      }
      cur[i] = v & 0xff;
    }
    const row = y * width;
    if (bitDepth === 8) out.set(cur.subarray(0, width), row);
    else {
      for (let x = 0; x < width; x++) {
        const byte = cur[Math.floor(x / perByte)];
        const shift = 8 - bitDepth * ((x % perByte) + 1);
        out[row + x] = (byte >> shift) & mask;
      }
    }
    const t = prev;
    prev = cur;
    cur = t;
  }
  return out;
}

/**
 * A single-channel label map as PIL gives it: 8-bit grey values or palette indices.
 * Other PNG kinds (colour, grey+alpha, 16-bit) are an error naming the file.
 */
export async function readLabelMap(input: string | Uint8Array, name = typeof input === 'string' ? input : '<buffer>'): Promise<LabelMap> {
  const buf = typeof input === 'string' ? await readFile(input) : input;
  const h = readHeader(buf, name);
  if (h.colorType === 3) return { width: h.width, height: h.height, data: decodePaletteIndices(buf, h, name) };
  if (h.colorType === 0 && h.bitDepth === 8) {
    const img = await decodeImage(buf, 1);
    return { width: img.width, height: img.height, data: img.data };
  }
  const kind = h.colorType === 0 ? `${h.bitDepth}-bit grey` : h.colorType === 2 ? 'RGB' : h.colorType === 4 ? 'grey+alpha' : h.colorType === 6 ? 'RGBA' : `colour type ${h.colorType}`;
  throw new Error(`${name}: a label map must be an 8-bit single-channel (grey or palette) PNG, this one is ${kind}`);
}

/** A 16-bit (or 8-bit) single-channel instance-id map (`*_instanceIds.png`), values unscaled. */
export async function readInstanceIdMap(input: string | Uint8Array, name = typeof input === 'string' ? input : '<buffer>'): Promise<{ width: number; height: number; data: Uint16Array }> {
  const buf = typeof input === 'string' ? await readFile(input) : input;
  const h = readHeader(buf, name);
  if (h.colorType === 0 && h.bitDepth === 16) return decodeImage16(buf).catch((e: Error) => { throw new Error(`${name}: ${e.message}`); });
  if (h.colorType === 0 || h.colorType === 3) {
    const m = await readLabelMap(buf, name);
    return { width: m.width, height: m.height, data: Uint16Array.from(m.data) };
  }
  throw new Error(`${name}: an instance-id map must be a single-channel grey PNG (colour type ${h.colorType} found)`);
}

/**
 * A binary mask as `Image.open(f).convert('L') != 0`: row-major 0/1. Colour images go through
 * PIL's luma formula (so a pixel of (1, 0, 0) is outside); 16-bit grey values above 0 are inside.
 */
export async function readBinaryMask(input: string | Uint8Array, name = typeof input === 'string' ? input : '<buffer>'): Promise<LabelMap> {
  const buf = typeof input === 'string' ? await readFile(input) : input;
  const h = readHeader(buf, name);
  if (h.colorType === 0 && h.bitDepth === 16) {
    const img = await decodeImage16(buf);
    const data = new Uint8Array(img.data.length);
    for (let i = 0; i < data.length; i++) data[i] = img.data[i] !== 0 ? 1 : 0;
    return { width: img.width, height: img.height, data };
  }
  const img = await decodeImage(buf);
  const n = img.width * img.height;
  const data = new Uint8Array(n);
  const ch = img.channels;
  if (ch <= 2) {
    for (let i = 0; i < n; i++) data[i] = img.data[i * ch] !== 0 ? 1 : 0;
  } else {
    for (let i = 0; i < n; i++) {
      const p = i * ch;
      data[i] = (img.data[p] * 19595 + img.data[p + 1] * 38470 + img.data[p + 2] * 7471 + 0x8000) >> 16 !== 0 ? 1 : 0;
    }
  }
  return { width: img.width, height: img.height, data };
}
