import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { decodeArrayFile, encodeArrayFile, takeArray, type ArrayFileFormat } from '../../lib/data/array-file.ts';

const FMT: ArrayFileFormat = { magic: 0x54534554 /* 'TEST' */, version: 3, what: 'test file' };

test('array file: layout, round trip, and every damage named', () => {
  const a = Float32Array.from([1, 2, 3, 4, 5, 6]);
  const b = Float32Array.from([-0.5]);
  const bytes = encodeArrayFile(FMT, { step: 7 }, [
    { key: 'a', shape: [2, 3], data: a },
    { key: 'b', shape: [1], data: b },
  ]);
  const dv = new DataView(bytes.buffer);
  assert.equal(Buffer.from(bytes.subarray(0, 4)).toString('latin1'), 'TEST');
  assert.equal(dv.getUint32(4, true), 3);
  const hl = dv.getUint32(8, true);
  assert.equal(hl % 4, 0);
  const payload = bytes.subarray(12 + hl);
  assert.equal(payload.length, 7 * 4);
  const header = JSON.parse(Buffer.from(bytes.subarray(12, 12 + hl)).toString('utf8'));
  assert.deepEqual(header, {
    step: 7,
    arrays: [
      { key: 'a', shape: [2, 3], offset: 0 },
      { key: 'b', shape: [1], offset: 6 },
    ],
    sha256: createHash('sha256').update(payload).digest('hex'),
  });
  const f = decodeArrayFile<{ step: number }>(FMT, bytes, 'f.bin');
  assert.equal(f.header.step, 7);
  assert.deepEqual(takeArray(f.arrays, 'a', [2, 3], 'f.bin'), a);
  assert.deepEqual(f.arrays.get('b')!.data, b);
  assert.throws(() => takeArray(f.arrays, 'a', [3, 2], 'f.bin'), /f.bin: a has shape \[2,3\], expected \[3,2\]/);
  assert.throws(() => takeArray(f.arrays, 'c', [1], 'f.bin'), /f.bin: no array c/);

  assert.throws(() => encodeArrayFile(FMT, {}, [{ key: 'x', shape: [2], data: a }]), /test file array x: shape \[2\] has 2 values, data 6/);
  assert.throws(() => decodeArrayFile(FMT, bytes.subarray(0, 8), 'f.bin'), /f.bin: not a test file \(too short\)/);
  assert.throws(() => decodeArrayFile({ ...FMT, magic: 1 }, bytes, 'f.bin'), /not a test file \(bad magic\)/);
  assert.throws(() => decodeArrayFile({ ...FMT, version: 1 }, bytes, 'f.bin'), /test file version 3, expected 1/);
  assert.throws(() => decodeArrayFile(FMT, bytes.subarray(0, 20), 'f.bin'), /truncated test file header/);
  const damaged = bytes.slice();
  damaged[damaged.length - 1] ^= 1;
  assert.throws(() => decodeArrayFile(FMT, damaged, 'f.bin'), /f.bin: test file payload checksum mismatch \(file damaged\)/);
});
