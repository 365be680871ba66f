// Training checkpoints: the model's weights, the optimizer's state and the step, in one file
// written atomically (temp name, then rename), so that a run killed at any moment resumes from
// its last complete checkpoint. The data order and augmentation are pure functions of
// (seed, step) (lib/train/batches.ts), so seed + step is the whole random state.
//
// File: lib/data/array-file.ts's container with magic 'AICK', version 1; the header adds step,
// seed, optimizerT and meta.
import * as tf from '@tensorflow/tfjs';
import { decodeArrayFile, encodeArrayFile, readArrayFile, type ArrayEntry, type ArrayFile, type ArrayFileFormat, type NamedArray } from '../data/array-file.ts';
import { writeFileAtomic } from '../data/atomic.ts';
import type { Param } from '../nn/param.ts';
import type { AdamW } from './optimizer.ts';

const FORMAT: ArrayFileFormat = { magic: 0x4b434941 /* 'AICK' */, version: 1, what: 'checkpoint' };

export type { ArrayEntry };

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

/** Serialises named arrays with a header (lib/data/array-file.ts). */
export function encodeCheckpoint(h: Omit<CheckpointHeader, 'arrays' | 'sha256'>, arrays: NamedArray[]): Uint8Array {
  return encodeArrayFile(FORMAT, h, arrays);
}

function fromArrayFile(f: ArrayFile<Omit<CheckpointHeader, 'arrays' | 'sha256'>>): Checkpoint {
  return { header: f.header, arrays: new Map([...f.arrays].map(([k, a]) => [k, a.data])) };
}

export function decodeCheckpoint(bytes: Uint8Array, file = '(checkpoint)'): Checkpoint {
  return fromArrayFile(decodeArrayFile(FORMAT, bytes, file));
}

/** Writes weights + optimizer state of a model at `step`. */
export async function saveCheckpoint(file: string, step: number, seed: number, params: readonly Param[], opt: AdamW, meta: Record<string, unknown>): Promise<void> {
  const st = await opt.state();
  const values = await Promise.all(params.map(async (p) => new Float32Array(await p.variable.data())));
  const arrays: NamedArray[] = [];
  params.forEach((p, i) => {
    arrays.push({ key: `param/${p.name}`, shape: p.variable.shape, data: values[i] });
    arrays.push({ key: `adam.m/${p.name}`, shape: p.variable.shape, data: st.m[i] });
    arrays.push({ key: `adam.v/${p.name}`, shape: p.variable.shape, data: st.v[i] });
  });
  await writeFileAtomic(file, encodeCheckpoint({ step, seed, optimizerT: st.t, meta }, arrays));
}

export async function readCheckpoint(file: string): Promise<Checkpoint> {
  return fromArrayFile(await readArrayFile(FORMAT, file));
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
