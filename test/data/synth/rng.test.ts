import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng, sampleRng } from '../../../lib/data/synth/rng.ts';

// Goldens from an independent Python transcription of the published algorithms: 32-bit FNV-1a
// of the key, four splitmix32 outputs as the state, then xoshiro128** (xoshiro128starstar.c).
test('xoshiro128** seeded through FNV-1a and splitmix32 matches the reference', () => {
  const r = new Rng('0');
  assert.deepEqual([r.u32(), r.u32(), r.u32(), r.u32(), r.u32()], [3663941251, 2916127658, 4237746679, 3528128765, 3098176549]);
  const s = sampleRng(0, 'train', 0);
  assert.deepEqual([s.u32(), s.u32(), s.u32(), s.u32(), s.u32()], [504414047, 3718183657, 1972780452, 1996487230, 880413567]);
});

test('a sample generator depends only on (seed, split, index)', () => {
  const a = sampleRng(3, 'val', 7);
  const b = sampleRng(3, 'val', 7);
  for (let i = 0; i < 100; i++) assert.equal(a.u32(), b.u32());
  const draws = (r: Rng) => [r.u32(), r.u32(), r.u32()];
  const base = draws(sampleRng(3, 'val', 7));
  assert.notDeepEqual(draws(sampleRng(3, 'val', 8)), base);
  assert.notDeepEqual(draws(sampleRng(3, 'train', 7)), base);
  assert.notDeepEqual(draws(sampleRng(4, 'val', 7)), base);
});

test('uniform, int, pick and weighted stay in range and cover it', () => {
  const r = new Rng('range');
  const seen = new Set<number>();
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < 5000; i++) {
    const u = r.next();
    lo = Math.min(lo, u);
    hi = Math.max(hi, u);
    const k = r.int(2, 5);
    assert.ok(k >= 2 && k <= 5 && Number.isInteger(k));
    seen.add(k);
    assert.ok(r.weighted([0, 1, 0]) === 1);
  }
  assert.ok(lo >= 0 && lo < 0.01 && hi < 1 && hi > 0.99);
  assert.deepEqual([...seen].sort(), [2, 3, 4, 5]);
  assert.throws(() => r.pick([]), /empty/);
});
