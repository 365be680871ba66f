// Named float32 arrays in one file with a JSON header and a checksum, for the generator's
// training checkpoints and weights: lib/data/array-file.ts's container with magic 'AIGW',
// version 1; the header adds `meta` (anything JSON).
import { decodeArrayFile, encodeArrayFile, readArrayFile, writeArrayFile, takeArray as take, type ArrayFile, type ArrayFileFormat, type NamedArray } from '../../data/array-file.ts';

export type { NamedArray };

const FORMAT: ArrayFileFormat = { magic: 0x57474941 /* 'AIGW' */, version: 1, what: 'weights file' };

export interface WeightsFile {
  meta: Record<string, unknown>;
  arrays: Map<string, NamedArray>;
  sha256: string;
}

type Fields = { meta: Record<string, unknown> };

function fromArrayFile(f: ArrayFile<Fields>): WeightsFile {
  return { meta: f.header.meta, arrays: f.arrays, sha256: f.header.sha256 };
}

export function encodeWeights(meta: Record<string, unknown>, arrays: readonly NamedArray[]): Uint8Array {
  return encodeArrayFile<Fields>(FORMAT, { meta }, arrays);
}

export function decodeWeights(buf: Uint8Array, file = '(weights)'): WeightsFile {
  return fromArrayFile(decodeArrayFile<Fields>(FORMAT, buf, file));
}

export async function writeWeights(file: string, meta: Record<string, unknown>, arrays: readonly NamedArray[]): Promise<void> {
  await writeArrayFile<Fields>(FORMAT, file, { meta }, arrays);
}

export async function readWeights(file: string): Promise<WeightsFile> {
  return fromArrayFile(await readArrayFile<Fields>(FORMAT, file));
}

/** The array `key` with the expected shape, or a clear error. */
export function takeArray(w: WeightsFile, key: string, shape: readonly number[], file = '(weights)'): Float32Array {
  return take(w.arrays, key, shape, file);
}
