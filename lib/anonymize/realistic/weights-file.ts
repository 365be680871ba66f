// Named float32 arrays in one file with a JSON header and a checksum, for the generator's
// training checkpoints and weights. Layout (little-endian): 'AIGW' | u32 version 1 | u32 header
// bytes | header JSON (UTF-8, space-padded to a multiple of 4) | float32 payload. The header
// holds `meta` (anything JSON) and each array's key, shape and offset (in floats), and the
// payload's SHA-256. Written atomically (temp name, then rename).
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../../data/atomic.ts';

const MAGIC = 0x57474941; // 'AIGW'
const VERSION = 1;

export interface NamedArray {
  key: string;
  shape: number[];
  data: Float32Array;
}

export interface WeightsFile {
  meta: Record<string, unknown>;
  arrays: Map<string, NamedArray>;
  sha256: string;
}

export function encodeWeights(meta: Record<string, unknown>, arrays: readonly NamedArray[]): Uint8Array {
  let total = 0;
  const entries = arrays.map((a) => {
    const size = a.shape.reduce((x, y) => x * y, 1);
    if (size !== a.data.length) throw new Error(`weights: array ${a.key} has shape [${a.shape}] (${size} values) but ${a.data.length} values`);
    const e = { key: a.key, shape: a.shape, offset: total };
    total += size;
    return e;
  });
  const payload = new Float32Array(total);
  arrays.forEach((a, i) => payload.set(a.data, entries[i]!.offset));
  const bytes = new Uint8Array(payload.buffer);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const json = Buffer.from(JSON.stringify({ meta, arrays: entries, sha256 }), 'utf8');
  const hl = Math.ceil(json.length / 4) * 4;
  const out = new Uint8Array(12 + hl + bytes.length);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, MAGIC, true);
  dv.setUint32(4, VERSION, true);
  dv.setUint32(8, hl, true);
  out.set(json, 12);
  out.fill(0x20, 12 + json.length, 12 + hl);
  out.set(bytes, 12 + hl);
  return out;
}

export function decodeWeights(buf: Uint8Array, file = '(weights)'): WeightsFile {
  if (buf.length < 12) throw new Error(`${file}: not a weights file (too short)`);
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  if (dv.getUint32(0, true) !== MAGIC) throw new Error(`${file}: not a weights file (bad magic)`);
  const version = dv.getUint32(4, true);
  if (version !== VERSION) throw new Error(`${file}: weights file version ${version}, expected ${VERSION}`);
  const hl = dv.getUint32(8, true);
  if (12 + hl > buf.length) throw new Error(`${file}: truncated header`);
  const header = JSON.parse(Buffer.from(buf.subarray(12, 12 + hl)).toString('utf8')) as {
    meta: Record<string, unknown>;
    arrays: { key: string; shape: number[]; offset: number }[];
    sha256: string;
  };
  const body = buf.slice(12 + hl);
  const sha = createHash('sha256').update(body).digest('hex');
  if (sha !== header.sha256) throw new Error(`${file}: payload checksum mismatch (file damaged)`);
  const payload = new Float32Array(body.buffer, body.byteOffset, body.byteLength / 4);
  const arrays = new Map<string, NamedArray>();
  for (const e of header.arrays) {
    const size = e.shape.reduce((x, y) => x * y, 1);
    if (e.offset + size > payload.length) throw new Error(`${file}: array ${e.key} runs past the payload`);
    arrays.set(e.key, { key: e.key, shape: e.shape, data: payload.slice(e.offset, e.offset + size) });
  }
  return { meta: header.meta, arrays, sha256: header.sha256 };
}

export async function writeWeights(file: string, meta: Record<string, unknown>, arrays: readonly NamedArray[]): Promise<void> {
  await writeFileAtomic(file, encodeWeights(meta, arrays));
}

export async function readWeights(file: string): Promise<WeightsFile> {
  let b: Buffer;
  try {
    b = await readFile(file);
  } catch (e) {
    throw new Error(`${file}: cannot read: ${(e as Error).message}`);
  }
  return decodeWeights(new Uint8Array(b.buffer, b.byteOffset, b.byteLength), file);
}

/** The array `key` with the expected shape, or a clear error. */
export function takeArray(w: WeightsFile, key: string, shape: readonly number[], file = '(weights)'): Float32Array {
  const a = w.arrays.get(key);
  if (!a) throw new Error(`${file}: no array ${key}`);
  if (a.shape.length !== shape.length || a.shape.some((d, i) => d !== shape[i])) throw new Error(`${file}: ${key} has shape [${a.shape}], expected [${shape}]`);
  return a.data;
}
