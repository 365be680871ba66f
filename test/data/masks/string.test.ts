// Compressed counts strings (pycocotools rleToString / rleFrString). Goldens worked by hand:
// value v (from the 4th count on: v = cnts[i] - cnts[i-2]) is cut into 5-bit groups, low first;
// a group gets +0x20 when more follow; the last group's bit 0x10 is the sign; each char = group + 48.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encode, fromString, toString } from '../../../lib/data/masks/index.ts';
import { randomMask, rng } from './pixels.ts';

const s = (c: number[], h = 1, w = c.reduce((a, b) => a + b, 0)) => toString({ h, w, counts: Uint32Array.from(c) });
const back = (str: string) => Array.from(fromString(str, 1, 1).counts);

test('hand-worked strings', () => {
  assert.equal(s([0, 2, 2, 2, 10]), '02208'); // 4th: 2-2 = 0, 5th: 10-2 = 8
  assert.equal(s([15]), '?'); // 15 = one group without sign bit
  assert.equal(s([16]), '`0'); // 16 has bit 0x10 set: needs a 0 group after it ('`' = 16+32+48)
  assert.equal(s([100]), 'T3'); // 100 = 3*32 + 4: (4+32+48)='T', then '3'
  assert.equal(s([1000000]), 'Pb`n0'); // groups 0, 18, 16, 30, 0
  assert.equal(s([0xffffffff]), 'oooooo3'); // six 31-groups then 3: the longest run
  assert.equal(s([3, 1000000, 5, 1000001]), '3Pb`n051'); // 4th stored as delta +1
  assert.equal(s([5, 3, 20, 1]), '53d0N'); // 20 has bit 0x10: 'd0'; 4th: 1 - 3 = -2 -> group 30 = 'N'
  assert.equal(s([5, 20, 1, 4]), '5d01@'); // 4th: 4 - 20 = -16 -> group 16, stop at -1 = '@'
  assert.equal(s([5, 20, 1, 3]), '5d01_O'); // 4th: 3 - 20 = -17 -> groups 15+32, 31 = '_O'
  assert.equal(s([]), '');
});

test('hand-worked strings decode back', () => {
  assert.deepEqual(back('02208'), [0, 2, 2, 2, 10]);
  assert.deepEqual(back('`0'), [16]);
  assert.deepEqual(back('Pb`n0'), [1000000]);
  assert.deepEqual(back('oooooo3'), [0xffffffff]);
  assert.deepEqual(back('3Pb`n051'), [3, 1000000, 5, 1000001]);
  assert.deepEqual(back('53d0N'), [5, 3, 20, 1]);
  assert.deepEqual(back('5d01_O'), [5, 20, 1, 3]);
  assert.deepEqual(back(''), []);
});

test('malformed strings are refused', () => {
  assert.throws(() => fromString('T', 1, 1), /ends inside a value/);
  assert.throws(() => fromString('0~', 1, 1), /outside '0'..'o'/);
  assert.throws(() => fromString('0 ', 1, 1), RangeError);
  assert.throws(() => fromString('N', 1, 1), /outside 0..2\^32-1/); // a negative first run
  assert.throws(() => fromString('ooooooo3', 1, 1), RangeError); // more than 32 bits
  // 4th count = 1 + (-2) = -1 would wrap in C; refused
  assert.throws(() => fromString('51d0N', 1, 1), /run 3/);
});

test('round trip on random masks, long runs and large deltas', () => {
  const rand = rng(7);
  for (let k = 0; k < 100; k++) {
    const h = 1 + Math.floor(rand() * 60), w = 1 + Math.floor(rand() * 60);
    const r = encode(randomMask(h, w, rand), h, w);
    const str = toString(r);
    assert.match(str, /^[0-o]*$/);
    const r2 = fromString(str, h, w);
    assert.deepEqual(r2, r);
    assert.equal(toString(r2), str);
  }
  const counts: number[] = [];
  for (let k = 0; k < 300; k++) counts.push(Math.floor(rand() * 2 ** (1 + (k % 32))));
  counts.push(0xffffffff, 0, 0xffffffff, 1, 0, 0xffffffff);
  const str = s(counts, 1, 1);
  assert.deepEqual(back(str), counts);
});
