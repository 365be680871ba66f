// squareInput written into a shared buffer at an offset equals a fresh array, and touches nothing else.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Image } from '../../lib/data/image.ts';
import { squareInput } from '../../lib/regions/square-input.ts';

const img: Image = { width: 40, height: 30, channels: 3, data: new Uint8Array(40 * 30 * 3).map((_, i) => (i * 2654435761) >>> 24) };

test('squareInput into a buffer at an offset: the same values as a new array, the rest of the buffer untouched', () => {
  const n = 16;
  const win = { ox: -3.5, oy: 2.25, side: 21 };
  const fresh = squareInput(img, win, n);
  assert.equal(fresh.length, n * n * 3);
  const buf = new Float32Array(3 * n * n * 3).fill(7);
  const got = squareInput(img, win, n, buf, n * n * 3);
  assert.equal(got, buf);
  assert.deepEqual(buf.subarray(n * n * 3, 2 * n * n * 3), fresh);
  assert.ok(buf.subarray(0, n * n * 3).every((v) => v === 7));
  assert.ok(buf.subarray(2 * n * n * 3).every((v) => v === 7));
  assert.throws(() => squareInput(img, win, n, buf, 2 * n * n * 3 + 1), /do not fit at offset/);
  assert.throws(() => squareInput(img, win, n, buf, 0.5), /do not fit at offset/);
});
