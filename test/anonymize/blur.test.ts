import { test } from 'node:test';
import assert from 'node:assert/strict';
import { blur, kernelSizeForSigma } from '../../lib/anonymize/blur.ts';
import { gaussianBlurU8 } from '../../lib/anonymize/gaussian.ts';
import { differingPixels, lcgImage, maskFrom } from './fixtures.ts';

test('kernel size: 3*sigma made odd as 2*floor(3*sigma/2)+1', () => {
  assert.equal(kernelSizeForSigma(7), 21); // the paper's sigma 7, k-size 21
  assert.equal(kernelSizeForSigma(9), 27);
  assert.equal(kernelSizeForSigma(2), 7);
  assert.equal(kernelSizeForSigma(1.5), 5);
  assert.equal(kernelSizeForSigma(0.2), 1);
  assert.throws(() => kernelSizeForSigma(0), /sigma/);
});

test('native blur: OpenCV GaussianBlur(21x21, sigma 7) inside the mask, input elsewhere, over the whole image', () => {
  const img = lcgImage(1, 24, 20, 3);
  const full = gaussianBlurU8(img, 21, 7); // byte-exact with OpenCV, see gaussian.test.ts
  const masks = [
    maskFrom(24, 20, (x, y) => (x - 12) ** 2 + (y - 10) ** 2 <= 20),
    maskFrom(24, 20, (x, y) => x >= 18 || y <= 1), // touches top and right borders
    maskFrom(24, 20, () => true),
  ];
  for (const m of masks) {
    const before = new Uint8Array(img.data);
    const out = blur(img, m); // defaults: sigma 7, ksize 21
    assert.deepEqual(img.data, before);
    for (let p = 0; p < m.length; p++) for (let c = 0; c < 3; c++) assert.equal(out.data[p * 3 + c], (m[p] ? full : img).data[p * 3 + c]);
  }
});

test('native blur options and errors', () => {
  const img = lcgImage(2, 10, 8, 3);
  const m = maskFrom(10, 8, (x) => x < 5);
  assert.deepEqual(blur(img, m, { sigma: 2 }).data, blur(img, m, { sigma: 2, ksize: 7 }).data);
  assert.throws(() => blur(img, m, { ksize: 20 }), /odd/);
  assert.throws(() => blur(img, m, { sigma: -1 }), /sigma/);
  assert.throws(() => blur(img, new Uint8Array(5)), /mask/);
  assert.throws(() => blur(img, m, { variant: 'box' as never }), /variant/);
  assert.deepEqual(blur(img, new Uint8Array(80)).data, img.data);
});

test('DeepPrivacy2 blur variant: only the region changes, flat stays flat, and it is blurrier than the input', () => {
  const W = 120;
  const H = 90;
  const img = lcgImage(5, W, H, 3);
  const m = maskFrom(W, H, (x, y) => (x - 60) ** 2 / 100 + (y - 45) ** 2 / 900 <= 1);
  const before = new Uint8Array(img.data);
  const out = blur(img, m, { variant: 'deepprivacy2' });
  assert.deepEqual(img.data, before);
  for (const p of differingPixels(img, out)) assert.equal(m[p], 1, `pixel ${p} outside the mask changed`);
  // the crop (about 50x90 here) is enlarged to 160x288 and blurred there with sigma 7, about sigma
  // 2.2 in the image: the noise variance inside the region (about 5400) falls below a tenth
  const variance = (im: typeof img) => {
    let s = 0;
    let s2 = 0;
    let n = 0;
    for (let p = 0; p < m.length; p++) {
      if (!m[p]) continue;
      const v = im.data[p * 3]!;
      s += v;
      s2 += v * v;
      n++;
    }
    return s2 / n - (s / n) ** 2;
  };
  assert.ok(variance(out) < variance(img) / 10, `${variance(out)} vs ${variance(img)}`);
  const flat = { width: W, height: H, channels: 3, data: new Uint8Array(W * H * 3).fill(90) };
  assert.deepEqual(blur(flat, m, { variant: 'deepprivacy2' }).data, flat.data);
  // a mask touching the image border (crop padded with zeros, as DP2 does) still only changes the region
  const edge = maskFrom(W, H, (x, y) => x < 15 && y > 20 && y < 80);
  for (const p of differingPixels(img, blur(img, edge, { variant: 'deepprivacy2' }))) assert.equal(edge[p], 1);
});
