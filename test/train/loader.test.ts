import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readDataset } from '../../lib/data/dataset.ts';
import { decodeImage } from '../../lib/data/image.ts';
import { loadManifest } from '../../lib/data/manifest.ts';
import { readSplit } from '../../lib/data/open.ts';
import { writeSynthDataset } from '../../lib/data/synth/write.ts';
import { classSpec, trainIdLut } from '../../lib/train/classes.ts';
import { fitSize, loadSample, SampleSource } from '../../lib/train/loader.ts';

const CS_MINI = resolve(import.meta.dirname, '..', '..', '..', 'shared', 'data', 'cityscapes-mini');

test('fitSize keeps the aspect ratio inside the box', () => {
  assert.deepEqual(fitSize(2048, 1024, [512, 256]), [512, 256]);
  assert.deepEqual(fitSize(640, 480, [512, 256]), [341, 256]);
  assert.deepEqual(fitSize(100, 400, [512, 256]), [64, 256]);
});

test('cityscapes-mini: train ids from labelIds, instance map, boxes at the base size', async (t) => {
  if (!existsSync(CS_MINI)) return t.skip(`../shared/data not found: ${CS_MINI}`);
  const ds = await readDataset({ format: 'cityscapes', root: CS_MINI, split: 'val' });
  const classes = classSpec(ds, 'semseg');
  // at its own size (256x128) the semantic map is the labelIds image through the label table
  // (not the sample's labelTrainIds PNG: downscaled separately, it differs at ~80 pixels)
  const s = await loadSample(ds, 0, { task: 'semseg', classes, size: [256, 128] });
  assert.deepEqual([s.width, s.height], [256, 128]);
  const labelIds = await decodeImage(join(CS_MINI, 'gtFine/val/frankfurt/frankfurt_000000_000294_gtFine_labelIds.png'), 1);
  const lut = trainIdLut();
  assert.deepEqual(s.semantic, labelIds.data.map((v) => lut[v]));
  // persons 24000..24003 and cars 26000..26002
  const persons = s.instances.filter((i) => i.classIndex === 11);
  const cars = s.instances.filter((i) => i.classIndex === 13);
  assert.equal(persons.length, 4);
  assert.equal(cars.length, 3);
  // every instance pixel lies on a pixel of its class
  for (let p = 0; p < s.instanceMap.length; p++) {
    const k = s.instanceMap[p];
    if (k >= 0) assert.equal(s.semantic![p], s.instances[k].classIndex);
  }
  // the instances task: background + thing classes
  const things = classSpec(ds, 'instances');
  const ti = await loadSample(ds, 0, { task: 'instances', classes: things, size: [256, 128] });
  assert.equal(ti.instances.filter((i) => i.classIndex === 1).length, 4);
  assert.equal(ti.instances.filter((i) => i.classIndex === 3).length, 3);
  for (let p = 0; p < ti.semantic!.length; p++) if (s.semantic![p] !== 255) assert.equal(ti.semantic![p], s.semantic![p] >= 11 ? s.semantic![p] - 10 : 0);
  // half size: boxes scale by 1/2
  const h = await loadSample(ds, 0, { task: 'instances', classes: things, size: [128, 64] });
  assert.deepEqual([h.width, h.height], [128, 64]);
  const b0 = ds.samples[0].instances[0].bbox;
  assert.deepEqual(h.instances[0].bbox, [b0[0] / 2, b0[1] / 2, b0[2] / 2, b0[3] / 2]);
});

test('--data: images come from the copy, annotations from the original; size mismatches are errors', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'anon-loader-'));
  try {
    await writeSynthDataset({ out: join(dir, 'a'), train: 1, val: 0, width: 64, height: 32, seed: 1 });
    await writeSynthDataset({ out: join(dir, 'b'), train: 1, val: 0, width: 64, height: 32, seed: 2 });
    await writeSynthDataset({ out: join(dir, 'c'), train: 1, val: 0, width: 32, height: 32, seed: 2 });
    const m = await loadManifest(join(dir, 'a', 'synth-cityscapes.yaml'));
    const ds = await readSplit(m, 'train');
    const classes = classSpec(ds, 'semseg');
    const own = await loadSample(ds, 0, { task: 'semseg', classes, size: [64, 32] });
    const other = await loadSample(ds, 0, { task: 'semseg', classes, size: [64, 32], imageRoot: join(dir, 'b') });
    const imgB = await decodeImage(join(dir, 'b', ds.samples[0].file), 3);
    assert.deepEqual(other.image, imgB.data);
    assert.notDeepEqual(other.image, own.image);
    assert.deepEqual(other.semantic, own.semantic);
    await assert.rejects(loadSample(ds, 0, { task: 'semseg', classes, size: [64, 32], imageRoot: join(dir, 'c') }), /is 32x32, its annotations say 64x32/);
    await assert.rejects(loadSample(ds, 0, { task: 'semseg', classes, size: [64, 32], imageRoot: join(dir, 'missing') }), /cannot read image of sample/);
    // the cache returns the same object
    const src = new SampleSource(ds, { task: 'semseg', classes, size: [64, 32] });
    assert.equal(await src.get(0), await src.get(0));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
