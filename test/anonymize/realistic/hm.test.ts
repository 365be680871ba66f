// HM is exactly skimage match_histograms (histogram-match.ts) followed by the blurred-mask paste
// (19x19, sigma 9) of the matched crop over the generated one, with the UNdilated mask; and the
// realistic+hm method pastes that crop into the region.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { matchHistograms, pasteWithBlurredMask } from '../../../lib/anonymize/histogram-match.ts';
import { erodeDisk, maskToSizeNearest, pasteCrop, prepareCrop, toBytes } from '../../../lib/anonymize/realistic/crop.ts';
import { histogramMatchCrop } from '../../../lib/anonymize/realistic/hm.ts';
import { sampleZ } from '../../../lib/anonymize/realistic/latent.ts';
import { createRealisticAnonymizer, resolveRealisticParams } from '../../../lib/anonymize/realistic/methods.ts';
import { rerenderGenerator } from '../../../lib/anonymize/realistic/rerender-generator.ts';
import { imageRng } from '../../../lib/anonymize/rng.ts';
import type { Image } from '../../../lib/data/image.ts';
import { lcgImage } from '../fixtures.ts';
import { sameBytes, scene, useWasm } from './helpers.ts';

before(() => useWasm());

test('histogramMatchCrop = matchHistograms + pasteWithBlurredMask(generated, matched, core mask)', () => {
  const W = 40;
  const H = 40;
  const gen = lcgImage(1, W, H).data;
  const ref = lcgImage(2, 17, 9);
  // make the reference darker so matching moves values a lot
  for (let i = 0; i < ref.data.length; i++) ref.data[i] = ref.data[i]! >> 2;
  const core = new Uint8Array(W * H);
  for (let y = 8; y < 24; y++) for (let x = 5; x < 15; x++) core[y * W + x] = 1;
  const y: Image = { width: W, height: H, channels: 3, data: gen };
  const want = pasteWithBlurredMask(y, matchHistograms(y, ref), core, { ksize: 19, sigma: 9 }).data;
  const got = histogramMatchCrop(gen, W, H, ref, core);
  assert.ok(sameBytes(got, want));
  // the blend: centre of the core close to the matched values, far corner untouched
  const matched = matchHistograms(y, ref).data;
  const far = (39 * W + 39) * 3;
  assert.equal(got[far], gen[far]);
  const c = (16 * W + 10) * 3;
  assert.ok(Math.abs(got[c]! - matched[c]!) < Math.abs(gen[c]! - matched[c]!) || gen[c] === matched[c]);
  // no reference pixels or no core: unchanged
  assert.ok(sameBytes(histogramMatchCrop(gen, W, H, { width: 0, height: 1, channels: 3, data: new Uint8Array(0) }, core), gen));
  assert.ok(sameBytes(histogramMatchCrop(gen, W, H, ref, new Uint8Array(W * H)), gen));
});

test('realistic+hm pastes the HM crop (context reference, undilated core mask) into the region', async () => {
  const s = scene('body');
  const region = s.regions[0]!;
  const mask = s.masks[0]!;
  const params = resolveRealisticParams('realistic+hm', { generator: 'rerender', bodySize: [24, 16] });
  const an = await createRealisticAnonymizer('realistic+hm', params);
  const out = await an.apply(s.image, [region], imageRng(1, 'hm'));
  // the same by hand
  const gen = rerenderGenerator({ kind: 'body', size: [24, 16] });
  const crop = prepareCrop(s.image, region, mask, mask, { width: 16, height: 24, keypoints: true });
  const w = sampleZ(imageRng(1, 'hm').fork(`realistic/${region.instanceId}`), 1, 4);
  const y8 = toBytes((await gen.generate([crop.input], w))[0]!);
  const yImg: Image = { width: 16, height: 24, channels: 3, data: y8 };
  const bw = crop.box.x1 - crop.box.x0;
  const bh = crop.box.y1 - crop.box.y0;
  const core = maskToSizeNearest(erodeDisk(crop.boxMask, bw, bh, region.dilation!), bw, bh, 16, 24);
  assert.ok(sameBytes(core, crop.coreMask));
  const hm = pasteWithBlurredMask(yImg, matchHistograms(yImg, crop.context), core, { ksize: 19, sigma: 9 }).data;
  const want: Image = { ...s.image, data: new Uint8Array(s.image.data) };
  pasteCrop(want, crop, hm, 16, 24);
  assert.ok(sameBytes(out.data, want.data));
  // the context reference holds exactly the crop's pixels outside the region
  let n = 0;
  for (let y = Math.max(0, crop.box.y0); y < Math.min(s.image.height, crop.box.y1); y++) {
    for (let x = Math.max(0, crop.box.x0); x < Math.min(s.image.width, crop.box.x1); x++) if (!mask[y * s.image.width + x]) n++;
  }
  assert.equal(crop.context.width, n);
  await an.dispose();
});
