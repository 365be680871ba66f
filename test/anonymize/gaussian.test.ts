import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixedPointKernel, gaussianBlurU8, getGaussianKernel, reflect101, separableFilterFloat } from '../../lib/anonymize/gaussian.ts';
import { fromBase64, lcgImage } from './fixtures.ts';

// cv2.getGaussianKernel(21, 7).ravel() (OpenCV 4.6.0)
const K21_7 = [
  0.023701591228799695, 0.028772490433227296, 0.034222698581113126, 0.03988300724542149, 0.04554056243145136, 0.05095018082814769,
  0.055850866685382416, 0.05998614476151322, 0.06312608168657638, 0.06508839492586047, 0.06575596238501372, 0.06508839492586047,
  0.06312608168657638, 0.05998614476151322, 0.055850866685382416, 0.05095018082814769, 0.04554056243145136, 0.03988300724542149,
  0.034222698581113126, 0.028772490433227296, 0.023701591228799695,
];
// cv2.getGaussianKernel(11, 0): sigma from the size, 0.3*((11-1)/2 - 1) + 0.8 = 2
const K11_0 = [
  0.008812229292562288, 0.027143577143479373, 0.06511405659938269, 0.12164907301380962, 0.1769983568313557, 0.20056541423882085,
  0.1769983568313557, 0.12164907301380962, 0.06511405659938269, 0.027143577143479373, 0.008812229292562288,
];

function close(a: ArrayLike<number>, b: ArrayLike<number>, rel = 1e-14) {
  assert.equal(a.length, b.length);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i]! - b[i]!) <= rel * Math.abs(b[i]!), `weight ${i}: ${a[i]} vs ${b[i]}`);
}

test('getGaussianKernel matches OpenCV for explicit and derived sigma', () => {
  close(getGaussianKernel(21, 7), K21_7);
  close(getGaussianKernel(11, 0), K11_0);
  const s = getGaussianKernel(19, 9).reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(s - 1) < 1e-15);
});

test('getGaussianKernel uses the fixed tables only for sigma <= 0 and sizes 1..9', () => {
  assert.deepEqual([...getGaussianKernel(7, 0)], [0.03125, 0.109375, 0.21875, 0.28125, 0.21875, 0.109375, 0.03125]);
  assert.deepEqual([...getGaussianKernel(9, -1)].map((v) => v * 256), [4, 13, 30, 51, 60, 51, 30, 13, 4]);
  assert.deepEqual([...getGaussianKernel(3, 0)], [0.25, 0.5, 0.25]);
  // with a positive sigma the formula applies even for a small size
  const k = getGaussianKernel(7, 1);
  assert.notEqual(k[3], 0.28125);
  assert.ok(Math.abs(k[3]! - 1 / (1 + 2 * (Math.exp(-0.5) + Math.exp(-2) + Math.exp(-4.5)))) < 1e-15);
});

test('fixedPointKernel: integer weights summing to 256, error diffused from the left', () => {
  const k = fixedPointKernel(getGaussianKernel(21, 7));
  assert.equal(k.reduce((a, b) => a + b, 0), 256);
  // by hand from K21_7 * 256 with the error carried: 6.068 -> 6 (err .068), 7.366 + .068 = 7.434 -> 7
  // (err .434), 8.761 + .434 = 9.195 -> 9
  assert.deepEqual([...k.slice(0, 3)], [6, 7, 9]);
  for (let i = 0; i < 10; i++) assert.equal(k[i], k[20 - i]);
  assert.throws(() => fixedPointKernel(getGaussianKernel(4, 1)), /odd/);
});

test('reflect101 mirrors without repeating the edge, also for kernels wider than the image', () => {
  assert.deepEqual([-3, -2, -1, 0, 4, 5, 6, 7].map((p) => reflect101(p, 5)), [3, 2, 1, 0, 4, 3, 2, 1]);
  assert.equal(reflect101(-10, 3), 2); // -10 -> 10 -> 4-10 = -6 -> 6 -> -2 -> 2
  assert.equal(reflect101(7, 1), 0);
});

// cv2.GaussianBlur(img, (k, k), s, borderType=cv2.BORDER_REFLECT_101) of lcg_bytes(seed, h*w*c)
// reshaped (h, w, c), flattened: base64 of the uint8 bytes.
const GOLDEN = {
  // seed 1, 20 rows x 24 columns x 3, kernel 21, sigma 7
  b24x20:
    'h4h0hol0h4p0hol2hol3hIl4hYh6hIh6g4l7god8goZ+goZ/gYWBg4WCgoaFhIWFhISGhYKHhYKIhoGJh4GIhoCJh4CJhn6Jh4hyholzh4pzh4p1hol2hIl3hYl5hIl5g4l7goh8gYd9gYd/gYaAgoaBgoeEg4aEhIWGhISGhYOHhYKIhoKIhoKIhoGIhYCJiIl0h4l0h4p0h4p2hop3hYl4hYl6hIl7gop8goh9gYd/gYeAgYeCgoeDgYeFg4eGg4aHhISIhYSJhYSJhoOJhoOKhoKKhYGKiIh0h4l1h4l1h4l3hol4hYh5hYh6hIh7gol8god9gYd/gYeAgIeBgYeCgYeFgoeFg4aGg4WHhIWIhISIhYSIhYSJhYOJhIKJhod2hYh2hoh2hYh4hYh5g4h5g4d7g4d7gYh9gYZ+gIZ/gIaAgIWCgYaDgIaFgoaFg4WGg4SHhISIhISIhYSIhYOJhYOJhYKJhYZ2hId2hYd2hId4hId5goZ5goZ6gYZ7gId8gIZ9f4V/f4V/f4WBgIWCgIaEgYaEgoWFgoSGg4SHhISHhYSHhYOIhYOIhIKIhIV4hIV5hIZ4hIZ6g4V6goV7gYV8gYV8gIZ9f4V+f4V/f4R/foSBf4WBf4aDgIaDgYWEgoSFg4SGg4SGhIWGhISHhISHhIOHg4N7goN7g4R7g4R8goR8gIN8gIR9gIR9foR+foR+foR/foSAfYSBfoWBfoWDf4aDgIWEgYWEgoSFgoWFg4WFhISGg4SGg4SHg4J8goN8goN8goN9gYN9gIJ9f4N9f4N9fYR+fYN+fYR/fYR/fISAfYWBfYWCfoaCf4WDgIWDgYWEgYWEgoaEg4WFg4WFgoSGgoJ/gYJ/goJ+gYJ/gIJ/f4J+foJ/foJ/fYN/fIN/fISAfISAe4SBfIaBfIaDfYeDfoaDfoeEgIeFgIeFgYiFgoeGgoiGgoeHgYB/gICAgYF/gIF/f4F/foB/fYF/fYF/fIJ/e4J/e4OAe4OAe4SAfIaBe4aCfIeCfYaCfoeDf4eEgIiEgYmEgYeFgYiFgYeGf3+Cf3+Cf4CBf4CCfYCBfX+BfICAfICAe4GAe4GAeoKBeoKBeoOBe4WBe4WCfIaCfYaDfoeDf4eEf4iEgImEgYiFgYmFgYiGfn6Efn6Efn6DfX6DfH+Ce36Ce3+Be3+BeoCAeoGBeYKBeoKBeYOBeoWBeoWBe4aBfIaCfYeCfoeDfoiDf4mDgIiEgImFf4iFfn2GfX2Gfn2FfX2FfH6Ee32Den6Cen+CeYCBeYGCeYKCeYKBeIOCeYWBeYWCeoeCeoeDe4iDfIiEfYmEfoqEf4mGf4qGfomHfX2GfH2GfX2FfH2Ee36Een2DeX6CeX6BeH+BeICBeIKCeIKBeIKBeYWBeYWCeYaCeoaDe4iDfIeEfYmEfoqEf4iGfoqGfomHe32He3yHe3yFe3yFeX2EeXyDeH2CeH2Bd3+BeICBd4GCd4GBd4KBeIWBeISCeYaBeYaDeoiDe4eEfImEfYqEfoiGfoqGfomHe3yIe3yIe3yGe3yFeX2FeXyEeH2CeH2CeH6BeICCeIGCeIGBd4GCeISBeISCeYaCeYaDeoiDe4eFfImFfYqFf4iHfoqHfoqIe3yHenyGe3yFenyEeH2EeHyDd32Cd32Bd36Bd3+Bd4CCd4GBdoGCd4SCd4SCeIWCeIWDeYeEeoeFe4iFfIqFfYiHfIqHfYmIenyIeXuIenuGeXuGd3yFd3uEdnyDd3yCdn2Cd36Cdn+Ddn+CdoCDd4ODd4KDeISDeISEeYaEeoaFe4eFfIiFfoaHfIiIfYiJenuJenuIenuHeXuGeHyFd3uEdnuDd3yCdn2Cdn6Ddn+Ddn+Cdn+CdoKCd4KDd4OCd4SDeIaEeYWFeoeFe4iFfIaGe4iHe4eI',
  // seed 3, 5 x 9 x 3, kernel 21 (wider than the image: reflection bounces), sigma 7
  b9x5: 'aYWAaoeBaYeBaYaBaIWAaYaAaoeCaYaAaYiAaYaAaoiBaYeBaYaBaYWAaYaBaoeCaYeBaomAaoZ/a4mAaoiAaoeAaoZ+aod/a4iBaod/a4l+aoh+a4p/aol/aoh/aod+aoh/a4mAaol/a4t+aoh9bIt+a4p+a4l+aoh9aol9a4p/a4l9a4t9',
  // seed 7, 1 x 20 x 3 (OpenCV uses a 1-tap kernel across a single row), kernel 21, sigma 7
  b20x1: 'pnR4pXd3pXt2ontzo31voX1unoBtm4Bsl4BplYNnkYVijoNjiIhhhI1kfo1kfI1jeI5jeJFidZJhdpJi',
  // seed 4, 12 x 16 x 1, kernel 7, sigma 0 (the fixed 7-tap table)
  g16x12k7:
    'fXx4bmVgXWBncXuDi5KXmIOCfHBlYl9iaHF5f4WLj5GWk4h4a2ZkaG51d3d6fX5/qqaZh3dwbnJ4fHl2d3d1c7KvppeJfnp9goWBfoF+eHWpqaeglYh+fYOJiouMhXp2kJKXmZaJe3Z9iZCTkIN1cHd6gYiJgHRweomRj4V1aGRqbHN6eXJsbXqIjIJwYFZUbW92eXRubnWDjox7Y1FJR3d6f351cneDkJaQe2BMQ0F8foN/dnR8iZSYkXxgTEI/',
};

test('gaussianBlurU8 equals OpenCV GaussianBlur byte for byte (BORDER_REFLECT_101)', () => {
  const cases: [keyof typeof GOLDEN, number, number, number, number, number, number][] = [
    ['b24x20', 1, 24, 20, 3, 21, 7],
    ['b9x5', 3, 9, 5, 3, 21, 7],
    ['b20x1', 7, 20, 1, 3, 21, 7],
    ['g16x12k7', 4, 16, 12, 1, 7, 0],
  ];
  for (const [name, seed, w, h, c, k, s] of cases) {
    const img = lcgImage(seed, w, h, c);
    const out = gaussianBlurU8(img, k, s);
    assert.deepEqual(out.data, fromBase64(GOLDEN[name]), name);
    // the float Gaussian rounded is within one grey level of it everywhere
    const kx = getGaussianKernel(w === 1 ? 1 : k, s);
    const ky = getGaussianKernel(h === 1 ? 1 : k, s);
    const f = separableFilterFloat(img.data, w, h, c, kx, ky);
    for (let i = 0; i < f.length; i++) assert.ok(Math.abs(Math.round(f[i]!) - out.data[i]!) <= 1, `${name} byte ${i}`);
  }
});

test('gaussianBlurU8 restricted to a region equals the whole-image blur there, reads beyond it, keeps the rest', () => {
  const img = lcgImage(1, 24, 20, 3);
  const full = fromBase64(GOLDEN.b24x20);
  const masks = [
    (x: number, y: number) => x >= 8 && x < 12 && y >= 6 && y < 9, // interior: the blur reads pixels outside the box
    (x: number, y: number) => x < 3 || y === 19, // touching three borders
    (x: number, y: number) => (x + y) % 7 === 0, // scattered
    (x: number, y: number) => x === 23 && y === 0, // a corner pixel
  ];
  for (const inside of masks) {
    const m = new Uint8Array(24 * 20);
    for (let y = 0; y < 20; y++) for (let x = 0; x < 24; x++) m[y * 24 + x] = inside(x, y) ? 1 : 0;
    const before = new Uint8Array(img.data);
    const out = gaussianBlurU8(img, 21, 7, m);
    assert.deepEqual(img.data, before, 'input untouched');
    for (let p = 0; p < m.length; p++) {
      for (let c = 0; c < 3; c++) assert.equal(out.data[p * 3 + c], m[p] ? full[p * 3 + c] : img.data[p * 3 + c]);
    }
  }
});

test('gaussianBlurU8 by region: separate column bands, 1 and 4 channels, agree with the whole-image blur', () => {
  for (const C of [1, 3, 4]) {
    const img = lcgImage(20 + C, 40, 30, C);
    const full = gaussianBlurU8(img, 9, 2);
    // two people side by side (two column bands), one of them touching the bottom border
    const m = new Uint8Array(40 * 30);
    for (let y = 0; y < 30; y++) for (let x = 0; x < 40; x++) if ((x >= 3 && x < 9 && y >= 4 && y < 14) || (x >= 25 && x < 31 && y >= 12)) m[y * 40 + x] = 1;
    const out = gaussianBlurU8(img, 9, 2, m);
    for (let p = 0; p < m.length; p++) for (let c = 0; c < C; c++) assert.equal(out.data[p * C + c], (m[p] ? full : img).data[p * C + c], `C=${C} pixel ${p}`);
  }
});

test('separableFilterFloat over a box equals the same box of the whole-image result', () => {
  const img = lcgImage(9, 13, 11, 2);
  const k = getGaussianKernel(9, 2.5);
  const whole = separableFilterFloat(img.data, 13, 11, 2, k, k);
  const box = { x0: 2, y0: 7, x1: 13, y1: 11 };
  const part = separableFilterFloat(img.data, 13, 11, 2, k, k, box);
  for (let y = box.y0; y < box.y1; y++)
    for (let x = box.x0; x < box.x1; x++)
      for (let c = 0; c < 2; c++) assert.equal(part[((y - box.y0) * 11 + (x - box.x0)) * 2 + c], whole[(y * 13 + x) * 2 + c]);
});
