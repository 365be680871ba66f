// The colour guided filter against He et al.'s definition (guidedfilter_color.m: box sums by
// cumulative sums, each window's mean divided by its clipped pixel count), golden values from a
// direct numpy transcription of it (windows summed pixel by pixel, 3x3 inverse by numpy.linalg.inv)
// on a 7x5 image; the fast variant (He & Sun 2015) likewise, with s x s block means and half-pixel
// bilinear upsampling as lib/models/guided-filter.ts defines them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { blockMean, boxMean, guidedFilter, guidedFilterChannels, prepareGuide } from '../../lib/models/guided-filter.ts';
import { resampleBilinear } from '../../lib/train/resample.ts';

const w = 7;
const h = 5;
const rgb = Uint8Array.from({ length: w * h * 3 }, (_, i) => (i * 37 + 11) % 256);
const p = Float32Array.from({ length: w * h }, (_, i) => ((i * 13) % 10) / 10);

function close(actual: Float32Array, expected: number[], tol: number, what: string): void {
  assert.equal(actual.length, expected.length, what);
  for (let i = 0; i < expected.length; i++) assert.ok(Math.abs(actual[i] - expected[i]) <= tol, `${what}[${i}]: ${actual[i]} vs ${expected[i]}`);
}

test('boxMean: window means clipped at the border', () => {
  const golden = [0.2, 0.35, 0.483333, 0.45, 0.416667, 0.55, 0.7, 0.25, 0.4, 0.477778, 0.444444, 0.411111, 0.488889, 0.583333, 0.35, 0.5, 0.466667, 0.433333, 0.4, 0.477778, 0.516667, 0.45, 0.488889, 0.455556, 0.422222, 0.5, 0.466667, 0.45, 0.5, 0.483333, 0.45, 0.416667, 0.55, 0.516667, 0.5];
  close(boxMean(p, w, h, 1), golden, 1e-6, 'box r=1');
  // a window larger than the image: every pixel gets the image mean
  const all = boxMean(p, w, h, 10);
  const mean = p.reduce((a, b) => a + b, 0) / p.length;
  for (const v of all) assert.ok(Math.abs(v - mean) < 1e-6);
});

test('guidedFilter matches He et al.: r=1, eps=0.01', () => {
  const golden = [0.06809, 0.36057, 0.66347, 0.42819, 0.28285, 0.55732, 0.82764, 0.15762, 0.38937, 0.67416, 0.38033, 0.28822, 0.58425, 0.86298, 0.25628, 0.45168, 0.69041, 0.33822, 0.30129, 0.64033, 0.12999, 0.35435, 0.51223, 0.46336, 0.33, 0.57731, 0.70614, 0.15811, 0.39047, 0.56647, 0.40558, 0.34692, 0.55428, 0.73577, 0.17126];
  close(guidedFilter(prepareGuide(rgb, w, h, 3, 1, 0.01), p), golden, 2e-5, 'q');
});

test('guidedFilter matches He et al.: r=2, eps=1e-5 (the refinement default)', () => {
  const golden = [0.20568, 0.40709, 0.66975, 0.44738, 0.24357, 0.52752, 0.74463, 0.23665, 0.4208, 0.68072, 0.45045, 0.25708, 0.53455, 0.7493, 0.2709, 0.43981, 0.69122, 0.4557, 0.26966, 0.55452, 0.16911, 0.31752, 0.45461, 0.38073, 0.45891, 0.5971, 0.57199, 0.18209, 0.32952, 0.48306, 0.36826, 0.45736, 0.6076, 0.58145, 0.19381];
  close(guidedFilter(prepareGuide(rgb, w, h, 3, 2, 1e-5), p), golden, 2e-3, 'q');
});

test('guidedFilter keeps constants and follows an edge of the guide', () => {
  const g = prepareGuide(rgb, w, h, 3, 2, 1e-3);
  close(guidedFilter(g, new Float32Array(w * h).fill(0.3)), new Array(w * h).fill(0.3), 1e-5, 'constant');
  // a two-colour guide (left half dark, right half light) and a blurred step: the output is sharp again
  const W = 16;
  const H = 4;
  const img = new Uint8Array(W * H * 3);
  const soft = new Float32Array(W * H);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
    img.fill(x < 8 ? 20 : 220, (y * W + x) * 3, (y * W + x) * 3 + 3);
    soft[y * W + x] = Math.min(1, Math.max(0, (x - 4) / 8));
  }
  const q = guidedFilter(prepareGuide(img, W, H, 3, 3, 1e-4), soft);
  // the input rises by 0.125 across the guide's edge; the output by more than 0.4
  assert.ok(q[1 * W + 8] - q[1 * W + 7] > 0.4, `edge: ${q[1 * W + 7]} | ${q[1 * W + 8]}`);
});

test('guidedFilterChannels: channels below minPeak are copied, the others filtered', () => {
  const g = prepareGuide(rgb, w, h, 3, 1, 0.01);
  const maps = new Float32Array(w * h * 2);
  for (let i = 0; i < w * h; i++) {
    maps[i * 2] = p[i];
    maps[i * 2 + 1] = 0.001 * p[i];
  }
  const out = guidedFilterChannels(g, maps, 2, 0.01);
  const f = guidedFilter(g, p);
  for (let i = 0; i < w * h; i++) {
    assert.equal(out[i * 2], f[i]);
    assert.equal(out[i * 2 + 1], maps[i * 2 + 1]);
  }
  assert.throws(() => prepareGuide(rgb, w, h, 3, 0, 0.01), /radius/);
  assert.throws(() => prepareGuide(rgb, w, h, 3, 1, 0), /eps/);
  assert.throws(() => guidedFilter(g, new Float32Array(3)), /guide/);
});

test('fast guided filter (s = 2): block means, statistics on the small grid, coefficients upsampled', () => {
  const up = [0.2, 0.2875, 0.4625, 0.5125, 0.4375, 0.5125, 0.7375, 0.25, 0.32188, 0.46563, 0.51562, 0.47188, 0.5, 0.6, 0.35, 0.39063, 0.47187, 0.52188, 0.54063, 0.475, 0.325, 0.4375, 0.43125, 0.41875, 0.46875, 0.58125, 0.5, 0.225, 0.5125, 0.44375, 0.30625, 0.35625, 0.59375, 0.575, 0.3];
  // the upsampling the fast filter applies to its coefficients: half-pixel bilinear, as resampleBilinear
  close(resampleBilinear(blockMean(p, w, h, 2), 4, 3, 1, 0, 1, w, h, { fx: 0.5, fy: 0.5 }), up, 1e-5, 'block mean, upsampled');
  const golden = [0.18159, 0.46267, 0.68209, 0.4634, 0.34967, 0.52208, 0.77687, 0.19838, 0.48905, 0.7145, 0.47935, 0.37209, 0.53381, 0.77237, 0.2136, 0.52244, 0.75797, 0.4898, 0.3972, 0.53795, 0.17998, 0.22867, 0.56378, 0.16855, 0.50225, 0.72116, 0.53726, 0.1988, 0.24564, 0.61542, 0.16496, 0.51988, 0.7712, 0.53485, 0.21848];
  const g = prepareGuide(rgb, w, h, 3, 2, 0.01, 2);
  assert.deepEqual([g.ws, g.hs, g.r], [4, 3, 1]);
  close(guidedFilter(g, p), golden, 2e-5, 'q');
  assert.throws(() => prepareGuide(rgb, w, h, 3, 2, 0.01, 1.5), /subsampling/);
});
