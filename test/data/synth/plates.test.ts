// The synthetic set's licence plates: found from what was painted, written to COCO
// (instances_<split>.json, category 'license plate') and to Cityscapes (_gtFine_polygons.json),
// read back by both loaders into Sample.plates, never as instances or a class to train.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { loadManifest } from '../../../lib/data/manifest.ts';
import { decode, fromJson } from '../../../lib/data/masks/index.ts';
import { readSplit } from '../../../lib/data/open.ts';
import { polygonBox } from '../../../lib/data/plate.ts';
import { cocoRecords } from '../../../lib/data/synth/coco-json.ts';
import { generateSample } from '../../../lib/data/synth/generate.ts';
import { LABEL } from '../../../lib/data/synth/labels.ts';
import { writeSynthDataset } from '../../../lib/data/synth/write.ts';
import { classSpec } from '../../../lib/train/classes.ts';
import { tempDir } from '../../anonymize/runner-fixtures.ts';

const opts = { train: 3, val: 0, width: 160, height: 96, seed: 7 };
let dir = '';
let cleanup = async () => {};
const samples = [0, 1, 2].map((index) => generateSample({ seed: 7, split: 'train', index, width: 160, height: 96 }));

before(async () => {
  ({ dir, cleanup } = await tempDir('synth-plates-'));
  await writeSynthDataset({ out: dir, ...opts });
});
after(() => cleanup());

test('a plate is the box of its visible pixels, on its car', () => {
  let plates = 0;
  for (const s of samples) {
    for (const p of s.plates) {
      plates++;
      const [x, y, w, h] = p.box;
      assert.ok(w >= 1 && h >= 1 && x >= 0 && y >= 0 && x + w <= s.width && y + h <= s.height);
      assert.ok(p.area >= 1 && p.area <= w * h);
      // its pixels are its car's: Cityscapes labels a plate as its car
      let carPixels = 0;
      for (let yy = y; yy < y + h; yy++) for (let xx = x; xx < x + w; xx++) if (s.objectIndex[yy * s.width + xx] === p.obj && s.labelIds[yy * s.width + xx] === LABEL.car) carPixels++;
      assert.ok(carPixels >= p.area, `plate ${p.box}: ${carPixels} car pixels, ${p.area} plate pixels`);
    }
  }
  assert.ok(plates >= 5, `${plates} plates in 3 images`);
});

test('COCO: plates are license plate annotations after the objects, whose ids and records do not change', async () => {
  const inst = JSON.parse(await readFile(join(dir, 'annotations/instances_train.json'), 'utf8'));
  const kp = JSON.parse(await readFile(join(dir, 'annotations/person_keypoints_train.json'), 'utf8'));
  const cat = inst.categories.find((c: { name: string }) => c.name === 'license plate');
  assert.deepEqual(cat, { id: 91, name: 'license plate', supercategory: 'vehicle' });
  // the objects: exactly the records of cocoRecords, numbered 1..N per split as before plates
  let id = 1;
  const objects = samples.flatMap((s) => {
    const r = cocoRecords(s, id).annotations;
    id += r.length;
    return r.map(({ keypoints: _k, num_keypoints: _n, ...rest }) => rest);
  });
  assert.deepEqual(inst.annotations.slice(0, objects.length), JSON.parse(JSON.stringify(objects)));
  const plates = inst.annotations.slice(objects.length);
  const expected = samples.flatMap((s) => s.plates.map((p) => [s.index + 1, p.box]));
  assert.deepEqual(plates.map((a: { image_id: number; bbox: number[] }) => [a.image_id, a.bbox]), expected);
  assert.deepEqual(plates.map((a: { id: number }) => a.id), expected.map((_, k) => objects.length + 1 + k));
  for (const a of plates) {
    assert.equal(a.category_id, 91);
    assert.equal(a.iscrowd, 0);
    assert.equal(a.area, a.bbox[2] * a.bbox[3]);
    const m = decode(fromJson(a.segmentation, 96, 160));
    for (let y = 0; y < 96; y++) for (let x = 0; x < 160; x++) {
      const inBox = x >= a.bbox[0] && x < a.bbox[0] + a.bbox[2] && y >= a.bbox[1] && y < a.bbox[1] + a.bbox[3];
      assert.equal(m[y * 160 + x], inBox ? 1 : 0, 'the segmentation is the box');
    }
  }
  // person_keypoints stays a person file
  assert.deepEqual(kp.categories.map((c: { name: string }) => c.name), ['person']);
  assert.ok(kp.annotations.every((a: { category_id: number }) => a.category_id === 1));
});

test('Cityscapes: _gtFine_polygons.json lists the plates as license plate polygons PIL draws as the box', async () => {
  for (const s of samples) {
    const j = JSON.parse(await readFile(join(dir, `gtFine/train/synth/${s.name}_gtFine_polygons.json`), 'utf8'));
    assert.equal(j.imgWidth, 160);
    assert.equal(j.imgHeight, 96);
    assert.deepEqual(j.objects.map((o: { label: string }) => o.label), s.plates.map(() => 'license plate'));
    assert.deepEqual(j.objects.map((o: { polygon: number[][] }) => polygonBox(o.polygon)), s.plates.map((p) => p.box));
  }
});

test('both loaders read the plates back into Sample.plates, never as instances or a class', async () => {
  const coco = await readSplit(await loadManifest(join(dir, 'synth-coco.yaml')), 'train');
  const city = await readSplit(await loadManifest(join(dir, 'synth-cityscapes.yaml')), 'train');
  const firstPlateId = JSON.parse(await readFile(join(dir, 'annotations/instances_train.json'), 'utf8')).annotations.find((a: { category_id: number }) => a.category_id === 91).id;
  let k = 0;
  samples.forEach((s, i) => {
    const boxes = s.plates.map((p) => p.box);
    assert.deepEqual(coco.samples[i]!.plates?.map((p) => p.box), boxes);
    assert.deepEqual(coco.samples[i]!.plates?.map((p) => p.id), boxes.map(() => firstPlateId + k++));
    assert.deepEqual(city.samples[i]!.plates?.map((p) => p.box), boxes);
    assert.deepEqual(city.samples[i]!.plates?.map((p) => p.id), boxes.map((_, j) => j));
  });
  for (const ds of [coco, city]) {
    assert.ok(ds.samples.every((s) => s.instances.every((x) => x.category !== 'license plate')));
    assert.ok(ds.categories.every((c) => c.name !== 'license plate'));
    for (const task of ['instances', 'semseg'] as const) assert.ok(!classSpec(ds, task).names.includes('license plate'), `${ds.format} ${task}`);
  }
  assert.deepEqual(coco.plateCategory, { id: 91, name: 'license plate', supercategory: 'vehicle' });
});
