import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { decodeCheckpoint, encodeCheckpoint, readCheckpoint, restoreCheckpoint, saveCheckpoint } from '../../lib/train/checkpoint.ts';
import { AdamW, DEFAULT_ADAM } from '../../lib/train/optimizer.ts';
import type { Param } from '../../lib/nn/param.ts';

test('checkpoint: arrays and header survive encode/decode exactly', () => {
  const a = new Float32Array([1.5, -2, Math.PI, 1e-30]);
  const b = new Float32Array([7]);
  const bytes = encodeCheckpoint({ step: 12, seed: 3, optimizerT: 12, meta: { task: 'semseg', x: [1, 2] } }, [
    { key: 'param/a', shape: [2, 2], data: a },
    { key: 'param/b', shape: [1], data: b },
  ]);
  const ck = decodeCheckpoint(bytes);
  assert.equal(ck.header.step, 12);
  assert.deepEqual(ck.header.meta, { task: 'semseg', x: [1, 2] });
  assert.deepEqual(ck.arrays.get('param/a'), a);
  assert.deepEqual(ck.arrays.get('param/b'), b);
  // a flipped payload byte is detected
  const bad = bytes.slice();
  bad[bad.length - 1] ^= 1;
  assert.throws(() => decodeCheckpoint(bad, 'x.bin'), /x.bin: checkpoint payload checksum mismatch/);
  assert.throws(() => decodeCheckpoint(new Uint8Array(20), 'y.bin'), /y.bin: not a checkpoint/);
  assert.throws(() => encodeCheckpoint({ step: 0, seed: 0, optimizerT: 0, meta: {} }, [{ key: 'k', shape: [3], data: a }]), /shape \[3\] has 3 values, data 4/);
});

test('checkpoint: weights and optimizer state restore exactly, on disk', async () => {
  await tf.setBackend('cpu');
  const dir = await mkdtemp(join(tmpdir(), 'anon-ck-'));
  try {
    const mk = (v: number[]): Param[] => [
      { name: 'w.kernel', variable: tf.variable(tf.tensor2d(v, [2, 2])) },
      { name: 'w.bias', variable: tf.variable(tf.tensor1d([0.5, -0.5])) },
    ];
    const p1 = mk([1, 2, 3, 4]);
    const o1 = new AdamW(p1, DEFAULT_ADAM);
    const grads = () => [tf.tensor2d([0.1, -0.2, 0.3, 0.4], [2, 2]), tf.tensor1d([1, -1])];
    await o1.apply(grads(), 0.01);
    await o1.apply(grads(), 0.01);
    const file = join(dir, 'checkpoint.bin');
    await saveCheckpoint(file, 2, 9, p1, o1, { note: 'x' });
    const p2 = mk([0, 0, 0, 0]);
    const o2 = new AdamW(p2, DEFAULT_ADAM);
    const ck = await readCheckpoint(file);
    assert.equal(ck.header.step, 2);
    assert.equal(ck.header.seed, 9);
    restoreCheckpoint(ck, p2, o2, file);
    assert.equal(o2.t, 2);
    // one more identical update on both: identical results
    await o1.apply(grads(), 0.01);
    await o2.apply(grads(), 0.01);
    for (let i = 0; i < 2; i++) assert.deepEqual(p2[i].variable.dataSync(), p1[i].variable.dataSync());
    // a model of another shape is refused
    const p3: Param[] = [{ name: 'w.kernel', variable: tf.variable(tf.zeros([3, 2])) }];
    assert.throws(() => restoreCheckpoint(ck, p3, undefined, file), /w.kernel has shape \[2,2\], the model \[3,2\]/);
    await writeFile(file, (await readFile(file)).subarray(0, 30));
    await assert.rejects(readCheckpoint(file), /truncated|checksum|not a checkpoint/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
