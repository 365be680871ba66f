// Truncation: unimodal s = 1 gives exactly w_mean, s = 0 leaves w; multimodal pulls to the
// NEAREST k-means centre (checked by brute force); k-means is deterministic per seed and finds
// well-separated clusters; the statistics are cached in the generator folder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kmeans, nearestCentre } from '../../../lib/anonymize/realistic/kmeans.ts';
import { computeLatentStats, LatentSampler, latentStats, sampleZ, truncate } from '../../../lib/anonymize/realistic/latent.ts';
import type { LatentSpace } from '../../../lib/anonymize/realistic/generator.ts';
import { Rng } from '../../../lib/data/rng.ts';

/** A fixed nonlinear "mapping network" 4 -> 3 with a nonzero mean. */
const space: LatentSpace = {
  kind: 'w',
  zDim: 4,
  wDim: 3,
  map(z, n) {
    const out = new Float32Array(n * 3);
    for (let i = 0; i < n; i++) {
      const [a, b, c, d] = [z[4 * i]!, z[4 * i + 1]!, z[4 * i + 2]!, z[4 * i + 3]!];
      out[3 * i] = Math.tanh(a + 0.5 * b) + 0.3;
      out[3 * i + 1] = Math.max(0, c) - 0.2 * d;
      out[3 * i + 2] = a * a * 0.5 - 1;
    }
    return out;
  },
};

test('unimodal truncation: strength 1 is exactly w_mean, strength 0 is w, 0.5 halfway', async () => {
  const stats = await computeLatentStats(space, 0, 2000, 1);
  const w = await space.map(sampleZ(new Rng('t'), 5, 4), 5);
  const t1 = truncate(w, 5, stats, { mode: 'unimodal', strength: 1 });
  for (let i = 0; i < 5; i++) for (let t = 0; t < 3; t++) assert.equal(t1[3 * i + t], stats.mean[t]);
  assert.deepEqual(truncate(w, 5, stats, { mode: 'unimodal', strength: 0 }), w);
  const h = truncate(w, 5, stats, { mode: 'unimodal', strength: 0.5 });
  for (let i = 0; i < 15; i++) assert.ok(Math.abs(h[i]! - (w[i]! + stats.mean[i % 3]!) / 2) < 1e-6);
  // w_mean is the sample mean of map(z): close to the analytic mean of the third coordinate (E[a^2]/2 - 1 = -0.5)
  assert.ok(Math.abs(stats.mean[2]! + 0.5) < 0.05, `mean ${stats.mean[2]}`);
});

test('multimodal truncation pulls each w to its nearest centre (strength 1: exactly that centre)', async () => {
  const stats = await computeLatentStats(space, 16, 1500, 2);
  assert.equal(stats.centres.length, 16 * 3);
  const n = 40;
  const w = await space.map(sampleZ(new Rng('mm'), n, 4), n);
  const t = truncate(w, n, stats, { mode: 'multimodal', strength: 1 });
  for (let i = 0; i < n; i++) {
    let best = -1;
    let bd = Infinity;
    for (let j = 0; j < 16; j++) {
      let d = 0;
      for (let k = 0; k < 3; k++) d += (w[3 * i + k]! - stats.centres[3 * j + k]!) ** 2;
      if (d < bd) {
        bd = d;
        best = j;
      }
    }
    for (let k = 0; k < 3; k++) assert.equal(t[3 * i + k], stats.centres[3 * best + k]);
  }
  const half = truncate(w, n, stats, { mode: 'multimodal', strength: 0.25 });
  for (let i = 0; i < n; i++) {
    const j = nearestCentre(w, 3 * i, stats.centres, 16, 3);
    for (let k = 0; k < 3; k++) assert.ok(Math.abs(half[3 * i + k]! - (0.75 * w[3 * i + k]! + 0.25 * stats.centres[3 * j + k]!)) < 1e-6);
  }
  // DP2's choice: a centre drawn at random, still one of the centres
  const r = truncate(w, n, stats, { mode: 'multimodal', strength: 1, centre: 'random' }, new Rng('pick'));
  for (let i = 0; i < n; i++) {
    const j = nearestCentre(r, 3 * i, stats.centres, 16, 3);
    for (let k = 0; k < 3; k++) assert.equal(r[3 * i + k], stats.centres[3 * j + k]);
  }
});

test('k-means: deterministic per seed, different seeds differ, separated clusters are found', () => {
  const rng = new Rng('pts');
  const true_ = [
    [0, 0],
    [10, 0],
    [0, 10],
    [10, 10],
  ];
  const n = 400;
  const pts = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) {
    const c = true_[i % 4]!;
    pts[2 * i] = c[0]! + (rng.next() - 0.5);
    pts[2 * i + 1] = c[1]! + (rng.next() - 0.5);
  }
  const a = kmeans(pts, n, 2, 4, { seed: 7 });
  const b = kmeans(pts, n, 2, 4, { seed: 7 });
  assert.deepEqual(a.centres, b.centres);
  assert.deepEqual(a.assignment, b.assignment);
  for (const c of true_) {
    const j = nearestCentre(Float32Array.from(c), 0, a.centres, 4, 2);
    assert.ok(Math.hypot(a.centres[2 * j]! - c[0]!, a.centres[2 * j + 1]! - c[1]!) < 0.2, `centre near [${c}]`);
  }
  // on unstructured data the seeding decides
  const g = new Float32Array(600);
  for (let i = 0; i < 600; i++) g[i] = rng.normal();
  const s1 = kmeans(g, 200, 3, 12, { seed: 1 });
  const s1b = kmeans(g, 200, 3, 12, { seed: 1 });
  const s2 = kmeans(g, 200, 3, 12, { seed: 2 });
  assert.deepEqual(s1.centres, s1b.centres);
  assert.notDeepEqual(s1.centres, s2.centres);
  assert.throws(() => kmeans(g, 200, 3, 201), /k must be an integer in \[1, 200\]/);
});

test('latent statistics are cached in the generator folder and reused', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'anon-latent-'));
  try {
    let calls = 0;
    const counting: LatentSpace = { ...space, map: (z, n) => (calls++, space.map(z, n)) };
    const g = { latent: counting, cache: { dir, key: 'abc' } };
    const s1 = await latentStats(g, 8, 300, 4);
    const files = await readdir(dir);
    assert.deepEqual(files, ['latent-stats-abc-k8-n300-s4.json']);
    const c1 = calls;
    const s2 = await latentStats(g, 8, 300, 4);
    assert.equal(calls, c1, 'second call read the cache');
    assert.deepEqual(s2.centres, s1.centres);
    assert.deepEqual(s2.mean, s1.mean);
    const sampler = await LatentSampler.create(g, { mode: 'multimodal', strength: 1, centres: 8, samples: 300, seed: 4 });
    const w = await sampler.sample(new Rng('x'), 3);
    for (let i = 0; i < 3; i++) {
      const j = nearestCentre(w, 3 * i, s1.centres, 8, 3);
      for (let k = 0; k < 3; k++) assert.equal(w[3 * i + k], s1.centres[3 * j + k]);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('the re-render latent has no geometry: truncating it is refused with a clear error', async () => {
  const seedSpace: LatentSpace = { kind: 'seed', zDim: 4, wDim: 4, map: (z) => z.slice() };
  await assert.rejects(LatentSampler.create({ latent: seedSpace }, { mode: 'unimodal', strength: 1 }), /no latent space to truncate/);
});
