// The appearance-leak distance against OpenCV (python3-opencv 4.6.0, numpy 1.24): golden values
// computed beforehand with the Python one-liners quoted above each test; nothing here calls Python.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { decodeImage, type Image } from '../../lib/data/image.ts';
import { methods } from '../../lib/anonymize/methods.ts';
import { appearanceDistance, bhattacharyya, hsHistogram, rgbToHsv } from '../../lib/privacy/hsv-histogram.ts';
import { maskFrom } from '../anonymize/fixtures.ts';

// /usr/bin/python3 -c "import cv2, numpy as np, hashlib; r=np.arange(256,dtype=np.uint8); R,G,B=np.meshgrid(r,r,r,indexing='ij');
//   img=np.stack([R,G,B],-1).reshape(4096,4096,3); print(hashlib.sha256(cv2.cvtColor(img,cv2.COLOR_RGB2HSV).tobytes()).hexdigest())"
test('rgbToHsv gives cv2.cvtColor(COLOR_RGB2HSV) bytes for all 2^24 colours', () => {
  const out = new Uint8Array(256 * 256 * 256 * 3);
  const hsv = new Uint8Array(3);
  let i = 0;
  for (let r = 0; r < 256; r++) {
    for (let g = 0; g < 256; g++) {
      for (let b = 0; b < 256; b++) {
        rgbToHsv(r, g, b, hsv);
        out[i++] = hsv[0]!;
        out[i++] = hsv[1]!;
        out[i++] = hsv[2]!;
      }
    }
  }
  assert.equal(createHash('sha256').update(out).digest('hex'), 'a5b38b214f65aed9d382cc07bf40311aff2e3e324c98da86df77bef285f224eb');
  assert.deepEqual([...rgbToHsv(0, 1, 58)], [120, 255, 58]); // where exact division and cv2 differ
});

/** The pattern image of the one-liner below: (x*37 + y*91 + c*53 + (x*y) % 17) % 256, 64x48 RGB. */
function pattern(): Image {
  const width = 64;
  const height = 48;
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) for (let c = 0; c < 3; c++) data[(y * width + x) * 3 + c] = (x * 37 + y * 91 + c * 53 + ((x * y) % 17)) % 256;
  return { width, height, channels: 3, data };
}

// /usr/bin/python3 -c "import cv2, numpy as np
// y,x=np.mgrid[0:48,0:64]; img=np.stack([(x*37+y*91+c*53+(x*y)%17)%256 for c in range(3)],-1).astype(np.uint8); m=((x-30)**2+(y-20)**2<300).astype(np.uint8)
// a=(img//2+60).astype(np.uint8); mo=np.where(m[...,None]>0,np.uint8(127),img)
// H=lambda im,b=(50,60): cv2.calcHist([cv2.cvtColor(im,cv2.COLOR_RGB2HSV)],[0,1],m,list(b),[0,180,0,256])
// d=lambda p,q: cv2.compareHist(p,q,cv2.HISTCMP_BHATTACHARYYA)
// print(int(m.sum()), repr(d(H(img),H(a))), repr(d(H(img),H(mo))), repr(d(H(img,(30,32)),H(a,(30,32)))), repr(d(H(img),H(img))))"
// -> 949 0.9286132744150969 1.0 0.9256385157490303 1.0536712127723509e-08
test('Bhattacharyya distance of H-S histograms matches cv2.compareHist on a pattern image', () => {
  const img = pattern();
  const m = maskFrom(64, 48, (x, y) => (x - 30) ** 2 + (y - 20) ** 2 < 300);
  assert.equal(m.reduce((a, b) => a + b, 0), 949);
  const half = { ...img, data: img.data.map((v) => Math.floor(v / 2) + 60) };
  const grey = methods.maskout.apply(img, m);
  assert.ok(Math.abs(appearanceDistance(img, half, m) - 0.9286132744150969) < 1e-9);
  assert.ok(Math.abs(appearanceDistance(img, grey, m) - 1.0) < 1e-9);
  assert.ok(Math.abs(appearanceDistance(img, half, m, { hBins: 30, sBins: 32 }) - 0.9256385157490303) < 1e-9);
  assert.ok(appearanceDistance(img, img, m) < 1e-6); // cv2: 1.05e-8 (float32 sums)
  const h = hsHistogram(img, m);
  assert.equal(h.length, 50 * 60);
  assert.equal(h.reduce((a, b) => a + b, 0), 949);
  // scale-free: a histogram times 3 is the same distribution
  assert.ok(Math.abs(bhattacharyya(h, h.map((v) => 3 * v))) < 1e-7);
  assert.throws(() => bhattacharyya(h, new Float64Array(h.length)), /empty histogram/);
});

const astronaut = fileURLToPath(new URL('../../../shared/data/photos/astronaut.png', import.meta.url));

// /usr/bin/python3 -c "import cv2, numpy as np
// rgb=cv2.cvtColor(cv2.imread('../shared/data/photos/astronaut.png'),cv2.COLOR_BGR2RGB); y,x=np.mgrid[0:512,0:512]
// m=((x-250)**2/80**2+(y-200)**2/120**2<=1).astype(np.uint8); k=m[...,None]>0
// bl=np.where(k,cv2.GaussianBlur(rgb,(21,21),7,borderType=cv2.BORDER_REFLECT_101),rgb); mo=np.where(k,np.uint8(127),rgb)
// H=lambda im: cv2.calcHist([cv2.cvtColor(im,cv2.COLOR_RGB2HSV)],[0,1],m,[50,60],[0,180,0,256])
// d=lambda p,q: cv2.compareHist(H(p),H(q),cv2.HISTCMP_BHATTACHARYYA)
// print(int(m.sum()), repr(d(rgb,bl)), repr(d(rgb,mo)))"
// -> 30137 0.41898509446878346 0.8756678225269955
test('appearance distance on the astronaut photo: the project\'s blur and mask-out against cv2', async (t) => {
  if (!existsSync(astronaut)) return t.skip(`../shared/data not found: ${astronaut}`);
  const photo = await decodeImage(astronaut, 3);
  const m = maskFrom(photo.width, photo.height, (x, y) => (x - 250) ** 2 / 80 ** 2 + (y - 200) ** 2 / 120 ** 2 <= 1);
  assert.equal(m.reduce((a, b) => a + b, 0), 30137);
  // the project's blur is byte-identical to cv2.GaussianBlur (test/anonymize/methods.test.ts)
  assert.ok(Math.abs(appearanceDistance(photo, methods.blur.apply(photo, m), m) - 0.41898509446878346) < 1e-9);
  assert.ok(Math.abs(appearanceDistance(photo, methods.maskout.apply(photo, m), m) - 0.8756678225269955) < 1e-9);
});
