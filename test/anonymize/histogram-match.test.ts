import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matchHistograms, matchHistogramsFloat, npInterp, pasteWithBlurredMask } from '../../lib/anonymize/histogram-match.ts';
import { fromBase64, lcgImage, maskFrom } from './fixtures.ts';

// skimage 0.19.3: a = (lcg_bytes(21, 16*12*3).reshape(16, 12, 3) // 16 * 16),
// b = lcg_bytes(22, 10*14*3).reshape(10, 14, 3) // 2 + 40;  match_histograms(a, b, channel_axis=-1)
// (dtype uint8: skimage writes the float values into an array of the input's dtype), base64.
const HM =
  'RDpIY15YWp5IkVE0PJSaSJ6CeEgtVGqaY3F6hWo0eEh6M1EtcV6feHaaVHGaPF4ta6c8RKefeECCVGothXY8hUg0a3ZqRKeKhUgtkYhSLEikPCyCRF48M56aWpSkVGqnSGphpVGCRCynWo40hWpSeHFIMzpqeEBSa548VDqCSI5SVFE0kXZYREBqSF4ta2p6pZSnhXFYY3FSmzqaVEg8LCx6nWpIPEh6cTqna3aacadhcV6aPECCRDo8LECkay+km5R1nVFSLCxqVF5IkadqayyCMy9SLI5ScX+ncZRSpWotY2p6kac0M4g0my+Ca15heC91nZR1nVFSVH+CeI5YM4iCPEhhSI6nWqekkY5Ia4g8kVGCLHZ1eEBqPEB1pV5YkVGfnSw8pWota3+CY16fhS88LGqkmy88kYg0nUA8M46nRIika451LEiacadYpYinm3ana39SY1F6kV5ILDo0M6eapaenPHafSJ6KLJRYY56KRH+CeHaCWo6fcWqaY39SLDqKWmpYY3F1Y3Gfm1EtVH+fWqdIhYg0cUB1M6ctpV5qWjqKM3GKeH80kWqfWiw0hS91LJ5hPCyKcXY8eDp6a1FSPJ5IkS80m56nhZ56mzpqY1GKM4h1PDqfcYhhmzo0a1GkVCxIY3Z1M45hhTp1kXanLEh1VH9SRC+fm2p6kXGakTqKMyw0WlFSYzp1RI40Y3aKY5RYWo6CmyxYa1FIVHaapUCKWkB1VDqaay9IPH9ILH9hkXE8hUiKVKctazpq';
// _match_cumulative_cdf(a[..., 0], b[..., 0]).ravel()[:8], repr of the float64 values
const HM_FLOAT_C0 = [68.91666666666667, 99.45833333333333, 90.52083333333334, 145.0625, 60.875, 72.7, 120.625, 84.54166666666667];

function pair() {
  const a = lcgImage(21, 12, 16, 3);
  a.data = a.data.map((v) => Math.floor(v / 16) * 16);
  const b = lcgImage(22, 14, 10, 3);
  b.data = b.data.map((v) => Math.floor(v / 2) + 40);
  return { a, b };
}

test('numpy.interp semantics: clamped ends, exact knots, linear between', () => {
  const xp = Float64Array.from([0.25, 0.5, 1]);
  const fp = Float64Array.from([10, 20, 40]);
  assert.equal(npInterp(0.1, xp, fp), 10);
  assert.equal(npInterp(0.25, xp, fp), 10);
  assert.equal(npInterp(0.375, xp, fp), 15);
  assert.equal(npInterp(0.5, xp, fp), 20);
  assert.equal(npInterp(0.75, xp, fp), 30);
  assert.equal(npInterp(1, xp, fp), 40);
  assert.equal(npInterp(2, xp, fp), 40);
  assert.equal(npInterp(0.3, Float64Array.from([0.5]), Float64Array.from([7])), 7);
});

test('matchHistograms equals skimage match_histograms(channel_axis=-1) on uint8, including its truncation', () => {
  const { a, b } = pair();
  const before = new Uint8Array(a.data);
  const m = matchHistograms(a, b);
  assert.deepEqual(a.data, before);
  assert.deepEqual(m.data, fromBase64(HM));
  const f = matchHistogramsFloat(a, b);
  for (let i = 0; i < 8; i++) assert.equal(f[i * 3], HM_FLOAT_C0[i]);
  for (let i = 0; i < f.length; i++) assert.equal(m.data[i], Math.trunc(f[i]!));
});

test('matching an image to itself is the identity; channels are matched separately', () => {
  const a = lcgImage(23, 9, 7, 3);
  assert.deepEqual(matchHistograms(a, a).data, a.data);
  // a reference whose channel 1 is a constant maps channel 1 to that constant only
  const ref = lcgImage(24, 5, 5, 3);
  for (let i = 1; i < ref.data.length; i += 3) ref.data[i] = 77;
  const m = matchHistograms(a, ref);
  for (let i = 1; i < m.data.length; i += 3) assert.equal(m.data[i], 77);
  assert.throws(() => matchHistograms(a, lcgImage(1, 3, 3, 1)), /channels/);
});

// x = lcg_bytes(31, 16*20*3), y = lcg_bytes(32, ...), both (16, 20, 3); mask rows 3..10 x cols 0..5 and
// rows 12..15 x cols 15..19; Mb = cv2.GaussianBlur(mask.astype(float), (19, 19), 9,
// borderType=cv2.BORDER_REFLECT_101); np.clip(np.rint(x*(1-Mb) + y*Mb), 0, 255).astype(np.uint8), base64.
const PASTE =
  'PyFZ1FewdXCAYqDU418txILJvBnY3l19rdR3WIRkfto6P1s5JqPSHeqn7hXKI2Zuh34Z0HaunVxW+4J8gmsiV62HsJKKyY+iYsnMT4u/JIhrr1nQNcizYuZ9NEWjRe1okGXXryjFVVuoi/qR8kq0p4BUXos6GQstaXU4o5OSH1jBbH9+VSYT1lGmNlSupUZ2sGBfwGbmVmRCi4j3OUmYAysVJuajQoph8eqeA/8JF0Hoj77ENGWFqWPnvm6Iyv6qQl2AFzpPq5f4upKem9KsN1uukY2+OuVIlos4Bimi5rJdFh7hm0YjTYPGeOHDZmFejXWnaUtcXqp5XVMuppmeo4yEJC/jOEJfRXbCZjdlRER/59GSqVt1VdwnlQXUHKrFwlv1wipWEW9WZ27vVqS4ZZCmIhGhhqRSphjsozbc19R4usLC5EbRX3R9rGeU6Ox93IkuDJidjjSxQIPZuKvtyicXQBixPmN4tD9/NKyOVtlZ2aaYnDqmXsK502OaZMK+SOt3ol9DlB2ILLxwIw0utOpC5ZGMgJKbviolvZuB0pyUz5Jwm+OoV+dxTJMqMaKYZSuEpU7Pus4259pRTqidoDHBm5R8aDJ9jdcTLopu5rgziBM6fKmfn9pIiy93MhlShHHhpm9fhZzFURFRz0x9VSGrln3ynUZ7Z7fUwnEzYHiX+Zx92N1Ho7Epxh+9i7kca4MiHKwJZYhNQ2ikdTlwJ3FAcJxSq3MPpYDFYybhSZyoONnV2jU31zsZPBBCJFKdZZStL0yjNmXL127uLXVMPn5Be3nww83PbLWSWDZ+dJBBZq0xeDJUQT2EH8FTfUlf2je6FXSELV90MdfYeNdQzWBgZIeZX5RF5HCPNcZGfGG0Im0iMDjKW7PIKThglL5wpn56sLW5IAhdJYdymbulhMIrk72nKnU1qDMpici0TjdpUXzbRUjB66/iqM26Q5Vkp4yBidM+t0NlGyuqtzS/WGkUbfPYPp91jzNhXVZLbGBHyj9Wy9C8X3yNetTFNRqGrIRfPrtwRTqlxY6za144kzM4l65IcZBYrJ5yuiYqcnzBkyfCi02b3qph8CdIb+m6x3vZe335yRhviUB/fkcm1GljsskUxM3ui5adke8eZ1PiaU9nIoahpqU3h9RxxYijH3eTb6RVWdhils3rqlY6B0ZEU2z6nDxGaubQVJrfWkWpv8lCxFPDRTdWY3+WpdVJZkGVHryPXNJDTb57s6Z32tHMMC+P6lhr084vMFqaxI3KOHg4xCG7pURDLcLdajkR';

test('pasteWithBlurredMask equals the paper\'s blend with a 19x19, sigma 9 blurred mask', () => {
  const x = lcgImage(31, 20, 16, 3);
  const y = lcgImage(32, 20, 16, 3);
  const m = maskFrom(20, 16, (c, r) => (r >= 3 && r < 11 && c < 6) || (r >= 12 && c >= 15));
  const out = pasteWithBlurredMask(x, y, m);
  assert.deepEqual(out.data, fromBase64(PASTE));
});

test('the paste leaves the original beyond the blur radius and blends only near the region', () => {
  const W = 50;
  const H = 40;
  const x = lcgImage(33, W, H, 3);
  const y = lcgImage(34, W, H, 3);
  const m = maskFrom(W, H, (c, r) => c >= 20 && c < 30 && r >= 15 && r < 25);
  const before = new Uint8Array(x.data);
  const out = pasteWithBlurredMask(x, y, m);
  assert.deepEqual(x.data, before);
  for (let r = 0; r < H; r++) {
    for (let c = 0; c < W; c++) {
      // Chebyshev distance to the region box; beyond 9 (= 19 >> 1) the blurred mask is exactly 0
      const d = Math.max(20 - c, c - 29, 15 - r, r - 24, 0);
      if (d > 9) for (let k = 0; k < 3; k++) assert.equal(out.data[(r * W + c) * 3 + k], x.data[(r * W + c) * 3 + k]);
    }
  }
  // In the centre of a 10x10 region the blurred mask is only (sum of the 10 central weights of the
  // 19-tap, sigma 9 kernel)^2 = 0.5939^2 = 0.353: small regions keep most of the original.
  const i = (20 * W + 25) * 3;
  const ones = { width: W, height: H, channels: 3, data: new Uint8Array(W * H * 3).fill(255) };
  const zeros = { width: W, height: H, channels: 3, data: new Uint8Array(W * H * 3) };
  const alpha = pasteWithBlurredMask(zeros, ones, m).data[i]! / 255;
  assert.equal(Math.round(alpha * 255), 90); // 0.3527 * 255 = 89.9
  assert.equal(pasteWithBlurredMask(zeros, ones, m, { normalizeMax: true }).data[i], 255);
  assert.throws(() => pasteWithBlurredMask(x, lcgImage(1, 5, 5, 3), m), /replacement/);
  assert.throws(() => pasteWithBlurredMask(x, y, m, { ksize: 18 }), /odd/);
});
