import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cityscapesPaths, readCityscapes, trainIdsOf, writeCityscapes, writeCityscapesSample } from '../../lib/data/cityscapes.ts';
import { decodeImage, decodeImage16, writeImage, writeImage16, type Image, type Image16 } from '../../lib/data/image.ts';
import { decode } from '../../lib/data/masks/index.ts';
import { DataError, type Dataset } from '../../lib/data/types.ts';
import { tempDir } from '../helpers/tmp-dir.ts';

const shared = fileURLToPath(new URL('../../../shared/data/', import.meta.url));
const mini = join(shared, 'cityscapes-mini');
const noShared = existsSync(mini) ? false : `../shared/data not found: ${mini}`;
const withoutRoot = (ds: Dataset) => ({ ...ds, root: '' });
const tmp = (t: TestContext) => tempDir(t, 'cityscapes-test-');

const rgb = (w: number, h: number): Image => ({ width: w, height: h, channels: 3, data: new Uint8Array(w * h * 3).fill(90) });
const fill = (img: { width: number; data: Uint8Array | Uint16Array }, x0: number, y0: number, x1: number, y1: number, v: number) => {
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) img.data[y * img.width + x] = v;
};

test('cityscapes-mini: instances from the 16-bit instanceIds image', { skip: noShared }, async () => {
  const ds = await readCityscapes({ root: mini, split: 'val' });
  assert.equal(ds.format, 'cityscapes');
  assert.equal(ds.split, 'val');
  assert.deepEqual(ds.categories.map((c) => c.id), [24, 25, 26, 27, 28, 29, 30, 31, 32, 33]);
  assert.equal(ds.samples.length, 1);
  const s = ds.samples[0];
  assert.equal(s.id, 'frankfurt_000000_000294');
  assert.equal(s.file, 'leftImg8bit/val/frankfurt/frankfurt_000000_000294_leftImg8bit.png');
  assert.equal(s.width, 256);
  assert.equal(s.height, 128);
  const gt = 'gtFine/val/frankfurt/frankfurt_000000_000294_gtFine_';
  assert.deepEqual(s.extraFiles, { labelIds: gt + 'labelIds.png', instanceIds: gt + 'instanceIds.png', labelTrainIds: gt + 'labelTrainIds.png' });
  // Goldens: pixel counts and boxes of each value, counted by a plain loop over the decoded
  // instanceIds PNG (24000-24003 sum to labelIds' 107 person pixels, 26000-26002 to its 1802 car pixels).
  assert.deepEqual(
    s.instances.map((i) => [i.id, i.categoryId, i.category, i.area, i.bbox, i.iscrowd, i.ignore]),
    [
      [24000, 24, 'person', 6, [119, 51, 2, 5], false, false],
      [24001, 24, 'person', 42, [145, 47, 5, 12], false, false],
      [24002, 24, 'person', 27, [150, 47, 3, 11], false, false],
      [24003, 24, 'person', 32, [153, 47, 4, 12], false, false],
      [26000, 26, 'car', 6, [126, 51, 2, 3], false, false],
      [26001, 26, 'car', 224, [128, 46, 18, 17], false, false],
      [26002, 26, 'car', 1572, [156, 38, 65, 34], false, false],
    ],
  );
  const ids = await decodeImage16(join(mini, gt + 'instanceIds.png'));
  for (const i of s.instances) {
    const m = decode(i.mask);
    assert.equal(m.length, 256 * 128);
    for (let p = 0; p < m.length; p++) assert.equal(m[p], ids.data[p] === i.id ? 1 : 0);
  }
});

test('cityscapes-mini: copying the labels to a new root reads back the same dataset', { skip: noShared }, async (t) => {
  const ds = await readCityscapes({ root: mini, split: 'val' });
  const out = await tmp(t);
  const s = ds.samples[0];
  await mkdir(dirname(join(out, s.file)), { recursive: true });
  await copyFile(join(mini, s.file), join(out, s.file)); // images are the caller's job
  await writeCityscapes(ds, out);
  const back = await readCityscapes({ root: out, split: 'val' });
  assert.equal(back.root, out);
  assert.deepEqual(withoutRoot(back), withoutRoot(ds));
  for (const f of Object.values(s.extraFiles!)) assert.deepEqual(await readFile(join(out, f)), await readFile(join(mini, f)));
  await assert.rejects(writeCityscapes(ds, mini), /never written/);
});

test('label images built in memory are written and read back', async (t) => {
  const root = await tmp(t);
  const w = 40;
  const h = 30;
  const labelIds: Image = { width: w, height: h, channels: 1, data: new Uint8Array(w * h).fill(7) };
  const instanceIds: Image16 = { width: w, height: h, data: new Uint16Array(w * h).fill(7) };
  fill(labelIds, 2, 3, 10, 20, 24); // person 24001: 8 x 17 = 136
  fill(instanceIds, 2, 3, 10, 20, 24001);
  fill(labelIds, 20, 0, 30, 4, 26); // car group: 10 x 4 = 40
  fill(instanceIds, 20, 0, 30, 4, 26);
  fill(labelIds, 30, 10, 40, 30, 29); // caravan 29000 (ignoreInEval): 10 x 20 = 200
  fill(instanceIds, 30, 10, 40, 30, 29000);
  fill(labelIds, 0, 25, 5, 30, 23); // sky: no instances
  fill(instanceIds, 0, 25, 5, 30, 23);
  const sample = { id: 'synth_000001_000002', width: w, height: h };
  const extra = await writeCityscapesSample(root, 'train', sample, { labelIds, instanceIds });
  const paths = cityscapesPaths('train', sample.id);
  assert.equal(paths.image, 'leftImg8bit/train/synth/synth_000001_000002_leftImg8bit.png');
  assert.deepEqual(extra, { labelIds: paths.labelIds, instanceIds: paths.instanceIds, labelTrainIds: paths.labelTrainIds });
  await writeImage(join(root, paths.image), rgb(w, h));

  const ds = await readCityscapes({ root, split: 'train' });
  assert.equal(ds.samples.length, 1);
  assert.deepEqual(ds.samples[0].extraFiles, extra);
  assert.deepEqual(
    ds.samples[0].instances.map((i) => [i.id, i.category, i.area, i.bbox, i.iscrowd, i.ignore]),
    [
      [26, 'car', 40, [20, 0, 10, 4], true, false],
      [24001, 'person', 136, [2, 3, 8, 17], false, false],
      [29000, 'caravan', 200, [30, 10, 10, 20], false, true],
    ],
  );
  const train = await decodeImage(join(root, paths.labelTrainIds), 1);
  // road -> 0, person -> 11, car -> 13, caravan -> 255, sky -> 10 (the table's trainIds).
  assert.deepEqual([train.data[0], train.data[5 * w + 5], train.data[0 * w + 25], train.data[15 * w + 35], train.data[27 * w + 1]], [0, 11, 13, 255, 10]);
  assert.deepEqual((await decodeImage16(join(root, paths.instanceIds))).data, instanceIds.data);
  assert.deepEqual(trainIdsOf({ width: 3, height: 1, channels: 1, data: Uint8Array.from([0, 24, 33]) }).data, Uint8Array.from([255, 11, 18]));

  // Inconsistent or mis-sized label images are refused before anything is written.
  const bad = { ...instanceIds, data: instanceIds.data.slice() };
  bad.data[0] = 24000;
  await assert.rejects(writeCityscapesSample(root, 'train', { ...sample, id: 'synth_000001_000003' }, { labelIds, instanceIds: bad }), (e: unknown) => e instanceof DataError && e.field === 'instanceIds');
  await assert.rejects(writeCityscapesSample(root, 'train', { ...sample, width: 41 }, { labelIds, instanceIds }), (e: unknown) => e instanceof DataError && e.field === 'labelIds');
  assert.equal(existsSync(join(root, cityscapesPaths('train', 'synth_000001_000003').labelIds)), false);
  // A dataset built in memory has no gtFine files to copy.
  const mem: Dataset = { ...ds, root: '/nowhere', samples: [{ ...ds.samples[0], extraFiles: undefined }] };
  await assert.rejects(writeCityscapes(mem, root), /writeCityscapesSample/);
});

test('gtFine polygons.json is used when there is no instanceIds image', async (t) => {
  const root = await tmp(t);
  const w = 40;
  const h = 30;
  const id = 'aachen_000000_000019';
  const paths = cityscapesPaths('val', id);
  await writeImage(join(root, paths.image), rgb(w, h));
  const rect = (x0: number, y0: number, x1: number, y1: number) => [[x0, y0], [x1, y0], [x1, y1], [x0, y1]];
  const objects = [
    { label: 'road', polygon: rect(0, 0, 40, 30) },
    { label: 'person', polygon: rect(2, 2, 12, 15) }, // 24000: 10 x 13 = 130, less 3 x 3 under the sky
    { label: 'person', polygon: rect(20, 5, 30, 25) }, // 24001: 10 x 20 = 200, less 5 x 10 under the car
    { label: 'car', polygon: rect(25, 10, 35, 20) }, // 26000: 100
    { label: 'persongroup', polygon: rect(0, 25, 10, 30) }, // crowd 24: 50
    { label: 'sky', polygon: rect(0, 0, 5, 5) },
    { label: 'license plate', polygon: rect(26, 11, 28, 13) }, // id -1: not drawn
    { label: 'person', polygon: rect(30, 0, 40, 5), deleted: 1 }, // not drawn, not counted
    { label: 'person', polygon: rect(36, 26, 39, 29) }, // 24002: 9
    { label: 'cargroup', polygon: rect(36, 0, 40, 3) }, // crowd 26: 12 ...
    { label: 'cargroup', polygon: rect(0, 20, 2, 22) }, // ... + 4
  ];
  await mkdir(dirname(join(root, paths.polygons)), { recursive: true });
  await writeFile(join(root, paths.polygons), JSON.stringify({ imgHeight: h, imgWidth: w, objects }));
  const ds = await readCityscapes({ root, split: 'val' });
  const s = ds.samples[0];
  assert.deepEqual(s.extraFiles, { polygons: paths.polygons });
  // Areas and boxes worked out by hand: frPoly covers columns x0..x1-1 and rows y0..y1-1 of an
  // integer rectangle, later objects occlude earlier ones.
  assert.deepEqual(
    s.instances.map((i) => [i.id, i.category, i.area, i.bbox, i.iscrowd]),
    [
      [24, 'person', 50, [0, 25, 10, 5], true],
      [26, 'car', 16, [0, 0, 40, 22], true],
      [24000, 'person', 121, [2, 2, 10, 13], false],
      [24001, 'person', 150, [20, 5, 10, 20], false],
      [24002, 'person', 9, [36, 26, 3, 3], false],
      [26000, 'car', 100, [25, 10, 10, 10], false],
    ],
  );
  assert.deepEqual(s.instances[2].source, objects[1]);
  assert.deepEqual(s.instances[1].source, [objects[9], objects[10]]);

  // Copying keeps polygons-only samples.
  const out = await tmp(t);
  await writeImage(join(out, paths.image), rgb(w, h));
  await writeCityscapes(ds, out);
  assert.deepEqual(withoutRoot(await readCityscapes({ root: out, split: 'val' })), withoutRoot(ds));
});

test('every problem of a Cityscapes tree is reported with file, record and field', async (t) => {
  const root = await tmp(t);
  const w = 40;
  const h = 30;
  const p = (n: number) => cityscapesPaths('val', `aachen_000000_00000${n}`);
  for (const n of [1, 2, 3, 4, 5]) await writeImage(join(root, p(n).image), rgb(w, h));
  // 2: instanceIds with an unknown label id (250) and a road "instance" (7001).
  const ids: Image16 = { width: w, height: h, data: new Uint16Array(w * h).fill(7) };
  fill(ids, 0, 0, 5, 5, 250);
  fill(ids, 5, 0, 10, 5, 7001);
  fill(ids, 10, 10, 20, 20, 24000);
  await writeImage16(join(root, p(2).instanceIds), ids);
  // 3: labelIds of the wrong size.
  await writeImage16(join(root, p(3).instanceIds), ids);
  await writeImage(join(root, p(3).labelIds), { width: 20, height: 10, channels: 1, data: new Uint8Array(200) });
  // 4: polygons with an unknown label and a 2-point polygon, plus a good object.
  const objects = [
    { label: 'dragon', polygon: [[0, 0], [5, 0], [5, 5]] },
    { label: 'person', polygon: [[0, 0], [5, 5]] },
    { label: 'rider', polygon: [[10, 10], [20, 10], [20, 20], [10, 20]] },
  ];
  await writeFile(join(root, p(4).polygons), JSON.stringify({ imgHeight: h, imgWidth: w, objects }));
  // 5: polygons whose size disagrees with the image.
  await writeFile(join(root, p(5).polygons), JSON.stringify({ imgHeight: h, imgWidth: 99, objects: [] }));
  // Labels without an image, and an image whose name names another city.
  await writeImage(join(root, p(9).labelIds), { width: w, height: h, channels: 1, data: new Uint8Array(w * h) });
  const stray = join(root, 'leftImg8bit/val/aachen/bochum_000000_000001_leftImg8bit.png');
  await writeImage(stray, rgb(w, h));

  const problems: DataError[] = [];
  const ds = await readCityscapes({ root, split: 'val' }, { onProblem: (e) => problems.push(e) });
  const rec = (n: number) => `image aachen_000000_00000${n}_leftImg8bit.png`;
  assert.deepEqual(
    problems.map((e) => [e.file, e.record, e.field]),
    [
      [join(root, p(1).instanceIds), rec(1), 'gtFine'],
      [join(root, p(2).instanceIds), rec(2), 'instanceIds'],
      [join(root, p(2).instanceIds), rec(2), 'instanceIds'],
      [join(root, p(3).labelIds), rec(3), 'labelIds'],
      [join(root, p(4).polygons), `${rec(4)} object #0 (dragon)`, 'label'],
      [join(root, p(4).polygons), `${rec(4)} object #1 (person)`, 'polygon'],
      [join(root, p(5).polygons), rec(5), 'imgWidth'],
      [stray, 'image bochum_000000_000001_leftImg8bit.png', 'file_name'],
      [join(root, 'gtFine/val/aachen'), rec(9), 'leftImg8bit'],
    ],
  );
  assert.match(problems[0].message, /missing label files/);
  assert.match(problems[1].message, /pixel value 250: unknown label id 250/);
  assert.match(problems[2].message, /pixel value 7001: instance id of label 'road'/);
  assert.match(problems[4].message, /label 'dragon' not known/);
  // What is good is still read.
  assert.deepEqual(ds.samples.map((s) => s.id), ['aachen_000000_000002', 'aachen_000000_000004']);
  assert.deepEqual(ds.samples[0].instances.map((i) => [i.id, i.area]), [[24000, 100]]);
  assert.deepEqual(ds.samples[1].instances.map((i) => [i.id, i.area]), [[25000, 100]]);

  await assert.rejects(readCityscapes({ root, split: 'val' }), (e: unknown) => e instanceof DataError && e.field === 'gtFine');
  await assert.rejects(readCityscapes({ root, split: 'test' }), (e: unknown) => e instanceof DataError && e.field === 'leftImg8bit' && /not found/.test(e.message));
});
