import { test } from 'node:test';
import assert from 'node:assert/strict';
import { roundHalfEven } from '../../lib/data/round-half-even.ts';

test('roundHalfEven: halves to the even neighbour (numpy.rint, torch.round, cvRound), the rest to the nearest', () => {
  // numpy.rint([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 2.4999, 2.5001, 254.5, 255.5, 3, -0.4]) (numpy's -0.0 is 0 here)
  const x = [0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 2.4999, 2.5001, 254.5, 255.5, 3, -0.4];
  assert.deepEqual(x.map(roundHalfEven), [0, 2, 2, 0, -2, -2, 2, 3, 254, 256, 3, 0]);
  // where Math.round differs (halves round up there)
  assert.equal(Math.round(2.5), 3);
  assert.equal(roundHalfEven(2.5), 2);
});
