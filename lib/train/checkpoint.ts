// Training checkpoints: the model's weights, the optimizer's state and the step, in one file
// written atomically (temp name, then rename), so that a run killed at any moment resumes from
// its last complete checkpoint. The data order and augmentation are pure functions of
// (seed, step) (lib/train/batches.ts), so seed + step is the whole random state.
//
// File layout (little-endian): 'AICK' | u32 version (1) | u32 header bytes | header JSON (UTF-8),
// zero-padded to a multiple of 4 | float32 payload. The header lists each array's key, shape and
// offset (in floats) and the payload's SHA-256.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import * as tf from '@tensorflow/tfjs';
import { writeFileAtomic } from '../data/atomic.ts';
import type { Param } from '../models/model.ts';
import type { AdamW } from './optimizer.ts';

const MAGIC = 0x4b434941; // 'AICK'
const VERSION = 1;

export interface ArrayEntry {
  key: string;
  shape: number[];
  offset: number;
}

export interface CheckpointHeader {
  step: number;
  seed: number;
  optimizerT: number;
  /** Whatever else the trainer records (model config, class spec, preset). */
  meta: Record<string, unknown>;
  arrays: ArrayEntry[];
  sha256: string;
}

export interface Checkpoint {
  header: CheckpointHeader;
  arrays: Map<string, Float32Array>;
}

/** Serialises named arrays with a header. */
export function encodeCheckpoint(h: Omit<CheckpointHeader, 'arrays' | 'sha256'>, arrays: { key: string; shape: number[]; data: Float32Array }[]): Uint8Array {
  let total = 0;
  const entries: ArrayEntry[] = arrays.map((a) => {
    const size = a.shape.reduce((x, y) => x * y, 1);
    if (size !== a.data.length) throw new Error(`checkpoint array ${a.key}: shape [${a.shape}] has ${size} values, data ${a.data.length}`);
    const e = { key: a.key, shape: a.shape, offset: total };
    total += size;
    return e;
  });
  const payload = new Float32Array(total);
  arrays.forEach((a, i) => payload.set(a.data, entries[i].offset));
  const payloadBytes = new Uint8Array(payload.buffer);
  const sha256 = createHash('sha256').update(payloadBytes).digest('hex');
  const json = Buffer.from(JSON.stringify({ ...h, arrays: entries, sha256 }), 'utf8');
  const headerLen = Math.ceil(json.length / 4) * 4;
  const out = new Uint8Array(12 + headerLen + payloadBytes.length);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, MAGIC, true);
  dv.setUint32(4, VERSION, true);
  dv.setUint32(8, headerLen, true);
  out.set(json, 12);
  out.fill(0x20, 12 + json.length, 12 + headerLen); // pad with spaces (valid JSON whitespace)
  out.set(payloadBytes, 12 + headerLen);
  return out;
}

export function decodeCheckpoint(bytes: Uint8Array, file = '(checkpoint)'): Checkpoint {
  if (bytes.length < 12) throw new Error(`${file}: not a checkpoint (too short)`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (dv.getUint32(0, true) !== MAGIC) throw new Error(`${file}: not a checkpoint (bad magic)`);
  const version = dv.getUint32(4, true);
  if (version !== VERSION) throw new Error(`${file}: checkpoint version ${version}, expected ${VERSION}`);
  const headerLen = dv.getUint32(8, true);
  if (12 + headerLen > bytes.length) throw new Error(`${file}: truncated checkpoint header`);
  const header = JSON.parse(Buffer.from(bytes.subarray(12, 12 + headerLen)).toString('utf8')) as CheckpointHeader;
  const payloadBytes = bytes.slice(12 + headerLen);
  const sha = createHash('sha256').update(payloadBytes).digest('hex');
  if (sha !== header.sha256) throw new Error(`${file}: checkpoint payload checksum mismatch (file damaged)`);
  const payload = new Float32Array(payloadBytes.buffer, payloadBytes.byteOffset, payloadBytes.byteLength / 4);
  const arrays = new Map<string, Float32Array>();
  for (const e of header.arrays) {
    const size = e.shape.reduce((x, y) => x * y, 1);
    if (e.offset + size > payload.length) throw new Error(`${file}: array ${e.key} runs past the payload`);
    arrays.set(e.key, payload.slice(e.offset, e.offset + size));
  }
  return { header, arrays };
}

/** Writes weights + optimizer state of a model at `step`. */
export async function saveCheckpoint(file: string, step: number, seed: number, params: readonly Param[], opt: AdamW, meta: Record<string, unknown>): Promise<void> {
  const st = opt.state();
  const arrays: { key: string; shape: number[]; data: Float32Array }[] = [];
  params.forEach((p, i) => {
    arrays.push({ key: `param/${p.name}`, shape: p.variable.shape, data: new Float32Array(p.variable.dataSync()) });
    arrays.push({ key: `adam.m/${p.name}`, shape: p.variable.shape, data: st.m[i] });
    arrays.push({ key: `adam.v/${p.name}`, shape: p.variable.shape, data: st.v[i] });
  });
  await writeFileAtomic(file, encodeCheckpoint({ step, seed, optimizerT: st.t, meta }, arrays));
}

export async function readCheckpoint(file: string): Promise<Checkpoint> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (e) {
    throw new Error(`${file}: cannot read checkpoint: ${(e as Error).message}`);
  }
  return decodeCheckpoint(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), file);
}

function take(ck: Checkpoint, key: string, shape: number[], file: string): Float32Array {
  const a = ck.arrays.get(key);
  const e = ck.header.arrays.find((x) => x.key === key);
  if (!a || !e) throw new Error(`${file}: checkpoint has no array ${key}`);
  if (e.shape.length !== shape.length || e.shape.some((d, i) => d !== shape[i])) throw new Error(`${file}: ${key} has shape [${e.shape}], the model [${shape}]`);
  return a;
}

/** Loads the weights (and, given an optimizer, its state) from a checkpoint. */
export function restoreCheckpoint(ck: Checkpoint, params: readonly Param[], opt?: AdamW, file = '(checkpoint)'): void {
  tf.tidy(() => {
    for (const p of params) p.variable.assign(tf.tensor(take(ck, `param/${p.name}`, p.variable.shape, file), p.variable.shape));
  });
  if (opt) {
    opt.setState({
      t: ck.header.optimizerT,
      m: params.map((p) => take(ck, `adam.m/${p.name}`, p.variable.shape, file)),
      v: params.map((p) => take(ck, `adam.v/${p.name}`, p.variable.shape, file)),
    });
  }
}
