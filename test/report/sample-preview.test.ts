import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import sharp from 'sharp';
import { decodeImage } from '../../lib/data/image.ts';
import { loadManifest } from '../../lib/data/manifest.ts';
import { decode } from '../../lib/data/masks/index.ts';
import { readSplit } from '../../lib/data/open.ts';
import { computeRegions } from '../../lib/regions/regions.ts';
import { annotationPreview, regionInstances, regionPreview } from '../../lib/report/sample-preview.ts';
import { synthDataset, tempDir } from '../anonymize/runner-fixtures.ts';

const raw = async (png: Buffer) => {
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels };
};

test('annotations drawn over the image: tinted inside instances, unchanged far from them', async () => {
  const src = await tempDir('preview-');
  try {
    const { coco } = await synthDataset(src.dir, 1);
    const ds = await readSplit(await loadManifest(coco), 'train');
    const s = ds.samples[0]!;
    const img = await decodeImage(join(ds.root, s.file), 3);
    const p = await raw(await annotationPreview(ds, 0));
    assert.deepEqual([p.width, p.height, p.channels], [img.width, img.height, 3]);
    const union = new Uint8Array(img.width * img.height);
    for (const inst of s.instances) decode(inst.mask).forEach((v, i) => (union[i] ||= v));
    let inside = 0;
    let changedInside = 0;
    let outsideSame = 0;
    let outside = 0;
    for (let i = 0; i < union.length; i++) {
      const same = p.data[3 * i] === img.data[3 * i] && p.data[3 * i + 1] === img.data[3 * i + 1] && p.data[3 * i + 2] === img.data[3 * i + 2];
      if (union[i]) {
        inside++;
        if (!same) changedInside++;
      } else {
        outside++;
        if (same) outsideSame++;
      }
    }
    assert.ok(inside > 0);
    assert.ok(changedInside / inside > 0.9, `${changedInside} of ${inside} instance pixels tinted`);
    assert.ok(outsideSame / outside > 0.95, 'away from instances (and skeleton lines, face boxes) the image is as it was');
    // only some categories
    const cars = await raw(await annotationPreview(ds, s.id, { categories: ['car'] }));
    assert.ok(!cars.data.equals(p.data));
  } finally {
    await src.cleanup();
  }
});

test('regions drawn as computeRegions finds them, with their records', async () => {
  const src = await tempDir('preview-regions-');
  try {
    const { cityscapes } = await synthDataset(src.dir, 1);
    const m = await loadManifest(cityscapes);
    const ds = await readSplit(m, 'train');
    const opts = { kind: 'body' as const, categories: m.anonymize, dilation: 3 };
    const r = await regionPreview(ds, 0, opts);
    const expected = await computeRegions(ds.samples[0]!, undefined, opts);
    assert.deepEqual(r.regions, expected.regions);
    assert.deepEqual(r.records, expected.records);
    assert.ok(r.regions.length > 0);
    const p = await raw(r.png);
    const img = await decodeImage(join(ds.root, ds.samples[0]!.file), 3);
    const inRegion = decode(r.regions[0]!.mask).indexOf(1);
    assert.notDeepEqual([...p.data.subarray(3 * inRegion, 3 * inRegion + 3)], [...img.data.subarray(3 * inRegion, 3 * inRegion + 3)]);
    // face regions become boxes to outline; body regions persons to tint
    const fake = { ...r.regions[0]!, kind: 'face' as const };
    assert.deepEqual(regionInstances([fake])[0]!.faceBox, fake.box);
    assert.equal(regionInstances([r.regions[0]!])[0]!.faceBox, undefined);
  } finally {
    await src.cleanup();
  }
});
