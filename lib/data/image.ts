// Image decode/encode through sharp (libvips). Outputs never carry EXIF, GPS, XMP, ICC or
// comments: sharp strips all metadata unless `withMetadata` is called, and we never call it.
import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { writeFileAtomic } from './atomic.ts';

sharp.cache(false);
sharp.concurrency(1);

/** Interleaved 8-bit pixels, row-major, `channels` per pixel. */
export interface Image {
  width: number;
  height: number;
  channels: number;
  data: Uint8Array;
}

/** A single-channel 16-bit image (Cityscapes instanceIds). */
export interface Image16 {
  width: number;
  height: number;
  data: Uint16Array;
}

export type ImageFormat = 'png' | 'jpeg';

export interface EncodeOptions {
  /** JPEG quality 1..100 (default 95). */
  quality?: number;
  /** PNG zlib level 0..9 (default 6, libpng's default). */
  compressionLevel?: number;
}

function describe(file: string, err: unknown): Error {
  const msg = err instanceof Error ? err.message : String(err);
  return new Error(`${file}: cannot decode image: ${msg}`);
}

/** Width and height from the header only (no pixel decode). */
export async function imageSize(input: string | Uint8Array): Promise<{ width: number; height: number; format: string }> {
  const name = typeof input === 'string' ? input : '<buffer>';
  try {
    const m = await sharp(input).metadata();
    if (!m.width || !m.height) throw new Error('no size in header');
    return { width: m.width, height: m.height, format: m.format ?? 'unknown' };
  } catch (e) {
    throw describe(name, e);
  }
}

/**
 * Decodes to 8-bit pixels. `channels` 3 gives RGB (alpha dropped), 1 gives the first
 * channel as is (label images: no colour conversion), 4 gives RGBA; default: the file's own count.
 * Truncated files are an error (sharp's `failOn: 'truncated'`).
 */
export async function decodeImage(input: string | Uint8Array, channels?: 1 | 3 | 4): Promise<Image> {
  const name = typeof input === 'string' ? input : '<buffer>';
  try {
    let s = sharp(typeof input === 'string' ? await readFile(input) : input, { failOn: 'truncated' });
    if (channels === 1) s = s.extractChannel(0);
    else if (channels === 3) s = s.removeAlpha().toColourspace('srgb');
    else if (channels === 4) s = s.ensureAlpha().toColourspace('srgb');
    const { data, info } = await s.raw().toBuffer({ resolveWithObject: true });
    if (channels === 3 && info.channels !== 3) throw new Error(`expected 3 channels, got ${info.channels}`);
    return { width: info.width, height: info.height, channels: info.channels, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
  } catch (e) {
    throw describe(name, e);
  }
}

/** Decodes a 16-bit single-channel PNG (e.g. Cityscapes `*_instanceIds.png`) without scaling. */
export async function decodeImage16(input: string | Uint8Array): Promise<Image16> {
  const name = typeof input === 'string' ? input : '<buffer>';
  try {
    const buf = typeof input === 'string' ? await readFile(input) : input;
    const { data, info } = await sharp(buf, { failOn: 'truncated' })
      .extractChannel(0)
      .toColourspace('grey16')
      .raw({ depth: 'ushort' })
      .toBuffer({ resolveWithObject: true });
    if (data.length !== info.width * info.height * 2) throw new Error(`expected 16-bit single channel, got ${data.length} bytes`);
    const out = new Uint16Array(info.width * info.height);
    for (let i = 0; i < out.length; i++) out[i] = data.readUInt16LE(2 * i);
    return { width: info.width, height: info.height, data: out };
  } catch (e) {
    throw describe(name, e);
  }
}

/** Encodes 8-bit pixels; no metadata is written. */
export async function encodeImage(img: Image, format: ImageFormat, opts: EncodeOptions = {}): Promise<Buffer> {
  let s = sharp(Buffer.from(img.data.buffer, img.data.byteOffset, img.data.length), {
    raw: { width: img.width, height: img.height, channels: img.channels as 1 | 2 | 3 | 4 },
  });
  // libvips reads 1-band raw input as sRGB and would write an RGB PNG: label maps must stay grey.
  if (img.channels === 1) s = s.toColourspace('b-w');
  if (format === 'png') return s.png({ compressionLevel: opts.compressionLevel ?? 6, adaptiveFiltering: false }).toBuffer();
  return s.jpeg({ quality: opts.quality ?? 95, chromaSubsampling: '4:2:0', mozjpeg: false }).toBuffer();
}

/** Encodes a 16-bit single-channel PNG. */
export async function encodeImage16(img: Image16): Promise<Buffer> {
  // sharp infers 16-bit depth from a Uint16Array input.
  return sharp(new Uint16Array(img.data), { raw: { width: img.width, height: img.height, channels: 1 } })
    .toColourspace('grey16')
    .png({ compressionLevel: 6 })
    .toBuffer();
}

export function formatFromPath(file: string): ImageFormat {
  const f = file.toLowerCase();
  if (f.endsWith('.png')) return 'png';
  if (f.endsWith('.jpg') || f.endsWith('.jpeg')) return 'jpeg';
  throw new Error(`${file}: unsupported image extension (png, jpg, jpeg)`);
}

/** Encodes by the file's extension and writes atomically (temp name, then rename). */
export async function writeImage(file: string, img: Image, opts: EncodeOptions = {}): Promise<void> {
  await writeFileAtomic(file, await encodeImage(img, formatFromPath(file), opts));
}

export async function writeImage16(file: string, img: Image16): Promise<void> {
  await writeFileAtomic(file, await encodeImage16(img));
}
