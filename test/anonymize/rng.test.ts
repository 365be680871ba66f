// Per-image random streams. Goldens from a Python transcription of the reference xoshiro128**
// (prng.di.unimi.it/xoshiro128starstar.c) seeded as rng.ts documents:
//   h = hashlib.sha256(key.encode()).digest(); s = struct.unpack('<4I', h[:16])
// (the same transcription gives 11520 as the first output from the state (1, 2, 3, 4), the
// reference implementation's value).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { imageRng } from '../../lib/anonymize/rng.ts';

test('imageRng: xoshiro128** seeded from sha256("anon-impact/anonymize/<seed>/<id>")', () => {
  const r = imageRng(7, '42');
  assert.equal(r.key, 'f7b0bf7f66b7271223c353b529d113c4');
  assert.deepEqual([r.u32(), r.u32(), r.u32(), r.u32(), r.u32()], [2107537557, 3905529349, 474482299, 3387869896, 4099951131]);
  const s = imageRng(0, 'synth_000000_000001');
  assert.equal(s.key, 'bab6ca60477c181343bd67d757d690cf');
  assert.deepEqual([s.u32(), s.u32(), s.u32()], [2800500519, 4077270003, 3523204359]);
});

test('imageRng: fork extends the key; normal() is Box-Muller on (1 - u1, u2)', () => {
  const f = imageRng(7, '42').fork('face-0');
  assert.equal(f.key, 'e747341a87574f7685f88045580b8de0');
  assert.deepEqual([f.u32(), f.u32()], [4180762335, 2750948392]);
  assert.ok(Math.abs(imageRng(7, '42').normal() - 0.9781733605694753) < 1e-15);
});

test('imageRng: same (seed, id) same stream; another seed or id another stream; next() in [0, 1)', () => {
  const a = imageRng(3, 'img');
  const b = imageRng(3, 'img');
  const xs = Array.from({ length: 1000 }, () => a.next());
  assert.deepEqual(xs, Array.from({ length: 1000 }, () => b.next()));
  assert.ok(xs.every((x) => x >= 0 && x < 1));
  assert.notEqual(imageRng(4, 'img').u32(), imageRng(3, 'img').u32());
  assert.notEqual(imageRng(3, 'img2').u32(), imageRng(3, 'img').u32());
  assert.throws(() => imageRng(1.5, 'x'), /seed must be a safe integer/);
});
