// Named float32 arrays in one file with a JSON header and a checksum: the container of training
// checkpoints (lib/train/checkpoint.ts) and of the realistic generators' weights
// (lib/anonymize/realistic/weights-file.ts), which differ only in their magic number and header
// fields. Layout (little-endian): u32 magic | u32 version | u32 header bytes | header JSON (UTF-8,
// space-padded to a multiple of 4) | float32 payload. The header holds the format's own fields,
// `arrays` (each array's key, shape and offset in floats) and `sha256` (of the payload).
// Files are written atomically (temp name, then rename).
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from './atomic.ts';

export interface ArrayFileFormat {
  magic: number;
  version: number;
  /** What the file is called in errors ('checkpoint', 'weights file'). */
  what: string;
}

export interface ArrayEntry {
  key: string;
  shape: number[];
  offset: number;
}

export interface NamedArray {
  key: string;
  shape: number[];
  data: Float32Array;
}

export type ArrayFileHeader<F> = F & { arrays: ArrayEntry[]; sha256: string };

export interface ArrayFile<F> {
  header: ArrayFileHeader<F>;
  arrays: Map<string, NamedArray>;
}

const size = (shape: readonly number[]) => shape.reduce((x, y) => x * y, 1);

export function encodeArrayFile<F extends object>(fmt: ArrayFileFormat, fields: F, arrays: readonly NamedArray[]): Uint8Array {
  let total = 0;
  const entries: ArrayEntry[] = arrays.map((a) => {
    const n = size(a.shape);
    if (n !== a.data.length) throw new Error(`${fmt.what} array ${a.key}: shape [${a.shape}] has ${n} values, data ${a.data.length}`);
    const e = { key: a.key, shape: a.shape, offset: total };
    total += n;
    return e;
  });
  const payload = new Float32Array(total);
  arrays.forEach((a, i) => payload.set(a.data, entries[i].offset));
  const payloadBytes = new Uint8Array(payload.buffer);
  const sha256 = createHash('sha256').update(payloadBytes).digest('hex');
  const json = Buffer.from(JSON.stringify({ ...fields, arrays: entries, sha256 }), 'utf8');
  const headerLen = Math.ceil(json.length / 4) * 4;
  const out = new Uint8Array(12 + headerLen + payloadBytes.length);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, fmt.magic, true);
  dv.setUint32(4, fmt.version, true);
  dv.setUint32(8, headerLen, true);
  out.set(json, 12);
  out.fill(0x20, 12 + json.length, 12 + headerLen); // spaces: valid JSON whitespace
  out.set(payloadBytes, 12 + headerLen);
  return out;
}

export function decodeArrayFile<F>(fmt: ArrayFileFormat, bytes: Uint8Array, file: string): ArrayFile<F> {
  if (bytes.length < 12) throw new Error(`${file}: not a ${fmt.what} (too short)`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (dv.getUint32(0, true) !== fmt.magic) throw new Error(`${file}: not a ${fmt.what} (bad magic)`);
  const version = dv.getUint32(4, true);
  if (version !== fmt.version) throw new Error(`${file}: ${fmt.what} version ${version}, expected ${fmt.version}`);
  const headerLen = dv.getUint32(8, true);
  if (12 + headerLen > bytes.length) throw new Error(`${file}: truncated ${fmt.what} header`);
  const header = JSON.parse(Buffer.from(bytes.subarray(12, 12 + headerLen)).toString('utf8')) as ArrayFileHeader<F>;
  const payloadBytes = bytes.slice(12 + headerLen);
  const sha = createHash('sha256').update(payloadBytes).digest('hex');
  if (sha !== header.sha256) throw new Error(`${file}: ${fmt.what} payload checksum mismatch (file damaged)`);
  const payload = new Float32Array(payloadBytes.buffer, payloadBytes.byteOffset, payloadBytes.byteLength / 4);
  const arrays = new Map<string, NamedArray>();
  for (const e of header.arrays) {
    const n = size(e.shape);
    if (e.offset + n > payload.length) throw new Error(`${file}: ${fmt.what} array ${e.key} runs past the payload`);
    arrays.set(e.key, { key: e.key, shape: e.shape, data: payload.slice(e.offset, e.offset + n) });
  }
  return { header, arrays };
}

export async function writeArrayFile<F extends object>(fmt: ArrayFileFormat, file: string, fields: F, arrays: readonly NamedArray[]): Promise<void> {
  await writeFileAtomic(file, encodeArrayFile(fmt, fields, arrays));
}

export async function readArrayFile<F>(fmt: ArrayFileFormat, file: string): Promise<ArrayFile<F>> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (e) {
    throw new Error(`${file}: cannot read ${fmt.what}: ${(e as Error).message}`);
  }
  return decodeArrayFile<F>(fmt, new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), file);
}

/** The array `key` with the expected shape, or an error naming the file, the key and both shapes. */
export function takeArray(arrays: ReadonlyMap<string, NamedArray>, key: string, shape: readonly number[], file: string): Float32Array {
  const a = arrays.get(key);
  if (!a) throw new Error(`${file}: no array ${key}`);
  if (a.shape.length !== shape.length || a.shape.some((d, i) => d !== shape[i])) throw new Error(`${file}: ${key} has shape [${a.shape}], expected [${shape}]`);
  return a.data;
}
