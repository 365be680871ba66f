// Per-image helpers of the runner: the alpha channel is kept out of the method's reach; the
// annotation hash follows what regions are computed from.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createAnonymizer } from '../../lib/anonymize/anonymizer.ts';
import { annotationHash, withAlphaKept } from '../../lib/anonymize/process-image.ts';
import { imageRng } from '../../lib/anonymize/rng.ts';
import { encode } from '../../lib/data/masks/index.ts';
import type { Sample } from '../../lib/data/types.ts';
import type { Region } from '../../lib/regions/region.ts';
import { lcgImage } from './fixtures.ts';

test('withAlphaKept: maskout on an RGBA (and grey+alpha) image fills the colour channels only; alpha unchanged', async () => {
  const W = 12;
  const H = 8;
  const m = new Uint8Array(W * H).map((_, i) => (i % W >= 3 && i % W < 9 && Math.floor(i / W) >= 2 ? 1 : 0));
  const region: Region = { sampleId: 's', instanceId: 1, kind: 'body', mask: encode(m, H, W), box: [3, 2, 6, 6], source: 'mask' };
  const a = await createAnonymizer('maskout', { fill: 127 });
  for (const channels of [4, 2]) {
    const img = lcgImage(3 + channels, W, H, channels);
    const out = await withAlphaKept(img, (c) => a.apply(c, [region], imageRng(0, 's')));
    assert.equal(out.channels, channels);
    for (let i = 0; i < W * H; i++) {
      const alpha = channels - 1;
      assert.equal(out.data[i * channels + alpha], img.data[i * channels + alpha], `alpha of pixel ${i}`);
      for (let k = 0; k < alpha; k++) assert.equal(out.data[i * channels + k], m[i] ? 127 : img.data[i * channels + k], `pixel ${i} channel ${k}`);
    }
  }
  const rgb = lcgImage(1, W, H, 3);
  assert.deepEqual(await withAlphaKept(rgb, async (c) => c), rgb);
});

test('annotationHash: changes with an instance mask, flag or face box; not with the source record', () => {
  const mask = encode(new Uint8Array(20).fill(1, 5, 9), 4, 5);
  const s: Sample = {
    id: '1',
    file: 'a.png',
    width: 5,
    height: 4,
    instances: [{ id: 1, categoryId: 1, category: 'person', mask, bbox: [1, 1, 2, 2], iscrowd: false, ignore: false, area: 4, source: { x: 1 } }],
  };
  const h = annotationHash(s);
  assert.match(h, /^[0-9a-f]{64}$/);
  const inst = s.instances[0]!;
  assert.equal(annotationHash({ ...s, instances: [{ ...inst, source: { y: 2 } }] }), h);
  assert.notEqual(annotationHash({ ...s, instances: [{ ...inst, iscrowd: true }] }), h);
  assert.notEqual(annotationHash({ ...s, instances: [{ ...inst, faceBox: [1, 1, 1, 1] }] }), h);
  assert.notEqual(annotationHash({ ...s, instances: [{ ...inst, mask: encode(new Uint8Array(20).fill(1, 5, 10), 4, 5) }] }), h);
  assert.notEqual(annotationHash({ ...s, instances: [] }), h);
});
