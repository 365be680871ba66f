// Licence plates through the COCO and Cityscapes readers and the COCO writer, on hand-made files:
// 'license plate' annotations and polygons become Sample.plates (never instances, never a
// category to train), a second COCO file adds plates to a split by image id and file name, and
// the writer leaves them out of a ground truth unless asked.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { cityscapesPaths, readCityscapes } from '../../lib/data/cityscapes.ts';
import { cocoJson, readCoco, writeCoco } from '../../lib/data/coco.ts';
import { writeImage, writeImage16, type Image } from '../../lib/data/image.ts';
import { datasetSpec } from '../../lib/data/open.ts';
import { boxPolygon, polygonBox } from '../../lib/data/plate.ts';
import type { Manifest } from '../../lib/data/manifest.ts';
import type { DataError } from '../../lib/data/types.ts';
import { tempDir } from '../helpers/tmp-dir.ts';

const tmp = (t: TestContext) => tempDir(t, 'plate-readers-');
const rgb = (w: number, h: number): Image => ({ width: w, height: h, channels: 3, data: new Uint8Array(w * h * 3).fill(90) });

const W = 40;
const H = 30;
const person = { id: 5, image_id: 1, category_id: 1, bbox: [2, 2, 10, 10], area: 100, iscrowd: 0, segmentation: [[2, 2, 12, 2, 12, 12, 2, 12]] };
const plateA = { id: 7, image_id: 1, category_id: 91, bbox: [20, 20, 8, 2], area: 16, iscrowd: 0 };
const plateB = { id: 8, image_id: 2, category_id: 91, segmentation: [[30, 10, 36, 10, 36, 12, 30, 12]], iscrowd: 0 };
const images = [
  { id: 1, file_name: 'a.png', width: W, height: H },
  { id: 2, file_name: 'b.png', width: W, height: H },
];
const categories = [
  { id: 1, name: 'person', supercategory: 'person' },
  { id: 91, name: 'license plate', supercategory: 'vehicle' },
];

test('box <-> polygon: PIL covers the corner pixels, both ends included', () => {
  assert.deepEqual(boxPolygon([3, 4, 5, 2]), [[3, 4], [7, 4], [7, 5], [3, 5]]);
  assert.deepEqual(polygonBox(boxPolygon([3, 4, 5, 2])), [3, 4, 5, 2]);
  assert.deepEqual(polygonBox(boxPolygon([9, 9, 1, 1])), [9, 9, 1, 1]);
  assert.deepEqual(polygonBox([[26, 11], [28, 11], [28, 13], [26, 13]]), [26, 11, 3, 3]);
  assert.deepEqual(polygonBox([[1.5, 2.2], [4.9, 2.2], [3, 6.7]]), [1, 2, 4, 5]);
});

test('COCO: license plate annotations are plates, not instances; their category is not a class', async (t) => {
  const dir = await tmp(t);
  await writeFile(join(dir, 'ann.json'), JSON.stringify({ images, categories, annotations: [person, plateA, plateB] }));
  const ds = await readCoco({ root: dir, annotations: 'ann.json' });
  assert.deepEqual(ds.categories.map((c) => c.name), ['person']);
  assert.deepEqual(ds.plateCategory, categories[1]);
  assert.deepEqual(ds.samples.map((s) => s.instances.map((i) => i.id)), [[5], []]);
  assert.deepEqual(ds.samples.map((s) => s.plates?.map((p) => [p.id, p.box])), [[[7, [20, 20, 8, 2]]], [[8, [30, 10, 6, 2]]]]);

  // cocoJson: the ground truth an evaluation reads has no plates; with `plates` they are written back
  const gt = cocoJson(ds);
  assert.deepEqual((gt.categories as { name: string }[]).map((c) => c.name), ['person']);
  assert.deepEqual((gt.annotations as { id: number }[]).map((a) => a.id), [5]);
  const full = cocoJson(ds, { plates: true });
  assert.deepEqual(full.categories, categories);
  assert.deepEqual(full.annotations, [person, plateA, plateB]);
  // writeCoco writes them (default) and they read back
  const out = join(dir, 'out');
  await writeCoco(ds, { root: out, annotations: 'ann.json' });
  const back = await readCoco({ root: out, annotations: 'ann.json' });
  assert.deepEqual(back.samples.map((s) => s.plates?.map((p) => [p.id, p.box])), ds.samples.map((s) => s.plates?.map((p) => [p.id, p.box])));
  // a plate moved by the caller: its new box is written
  ds.samples[0]!.plates![0]!.box = [21, 20, 8, 2];
  assert.deepEqual((cocoJson(ds, { plates: true }).annotations as { bbox: number[] }[])[1]!.bbox, [21, 20, 8, 2]);
});

test('COCO: the plates of a second file over the same images, matched by id and file name', async (t) => {
  const dir = await tmp(t);
  await writeFile(join(dir, 'kp.json'), JSON.stringify({ images, categories: [categories[0]], annotations: [person] }));
  const dup = { ...plateA, id: 5 }; // the person's id
  const stranger = { ...plateA, id: 9, image_id: 3 };
  const wrongFile = { ...plateA, id: 10, image_id: 2 };
  const other = { id: 11, image_id: 1, category_id: 1, bbox: [0, 0, 1, 1] }; // not a plate: ignored
  await writeFile(
    join(dir, 'inst.json'),
    JSON.stringify({ images: [images[0], { ...images[1], file_name: 'c.png' }, { id: 3, file_name: 'd.png', width: W, height: H }], categories, annotations: [plateA, dup, stranger, wrongFile, other] }),
  );
  const problems: DataError[] = [];
  const ds = await readCoco({ root: dir, annotations: 'kp.json', plates: 'inst.json' }, { onProblem: (e) => problems.push(e) });
  assert.deepEqual(ds.samples.map((s) => s.plates?.map((p) => p.id)), [[7], undefined]);
  assert.deepEqual(ds.samples.map((s) => s.instances.map((i) => i.id)), [[5], []]);
  assert.deepEqual(ds.plateCategory, categories[1]);
  assert.deepEqual(
    problems.map((p) => [p.record, p.field]),
    [
      ['annotation id 5', 'id'],
      ['annotation id 9', 'image_id'],
      ['annotation id 10', 'image_id'],
    ],
  );
  assert.match(problems[2]!.message, /image 2 is 'c\.png' here, 'b\.png' in the split/);
  // a plates file without a plate category is a problem, not silence
  await writeFile(join(dir, 'none.json'), JSON.stringify({ images, categories: [categories[0]], annotations: [] }));
  await assert.rejects(readCoco({ root: dir, annotations: 'kp.json', plates: 'none.json' }), /no 'license plate' category/);
});

test('a manifest names a plates file for COCO only', () => {
  const m = (format: 'coco' | 'cityscapes' | 'bdd100k') =>
    ({ path: '/m.yaml', rootDir: '/data', format, splits: { train: { annotations: 'a.json', plates: 'p.json' } } }) as unknown as Manifest;
  assert.equal((datasetSpec(m('coco'), 'train') as { plates?: string }).plates, 'p.json');
  assert.throws(() => datasetSpec(m('cityscapes'), 'train'), /splits\.train\.plates: only for format coco \(Cityscapes licence plates are read from gtFine/);
  assert.throws(() => datasetSpec(m('bdd100k'), 'train'), /splits\.train\.plates: only for format coco \(BDD100K has no licence plates\)/);
});

test('Cityscapes: license plate polygons of _gtFine_polygons.json are plates, beside the instanceIds image', async (t) => {
  const root = await tmp(t);
  const id = 'aachen_000000_000019';
  const paths = cityscapesPaths('val', id);
  await writeImage(join(root, paths.image), rgb(W, H));
  const ids = new Uint16Array(W * H).fill(7);
  for (let y = 10; y < 20; y++) for (let x = 25; x < 35; x++) ids[y * W + x] = 26000;
  await writeImage16(join(root, paths.instanceIds), { width: W, height: H, data: ids });
  const rect = (x0: number, y0: number, x1: number, y1: number) => [[x0, y0], [x1, y0], [x1, y1], [x0, y1]];
  const objects = [
    { label: 'road', polygon: rect(0, 0, 39, 29) },
    { label: 'car', polygon: rect(25, 10, 34, 19) },
    { label: 'license plate', polygon: rect(27, 16, 31, 17) },
    { label: 'license plate', polygon: rect(0, 0, 3, 1), deleted: 1 },
    { label: 'license plate', polygon: [[1, 1], [2, 2]] },
  ];
  await mkdir(dirname(join(root, paths.polygons)), { recursive: true });
  await writeFile(join(root, paths.polygons), JSON.stringify({ imgHeight: H, imgWidth: W, objects }));
  const problems: DataError[] = [];
  const ds = await readCityscapes({ root, split: 'val' }, { onProblem: (e) => problems.push(e) });
  const s = ds.samples[0]!;
  assert.deepEqual(s.instances.map((i) => [i.id, i.category]), [[26000, 'car']]);
  assert.deepEqual(s.plates?.map((p) => [p.id, p.box]), [[2, [27, 16, 5, 2]]]);
  assert.deepEqual(s.plates?.[0]?.source, objects[2]);
  assert.deepEqual(problems.map((p) => [p.record, p.field]), [[`image ${id}_leftImg8bit.png object #4 (license plate)`, 'polygon']]);
  assert.ok(!ds.categories.some((c) => c.name === 'license plate'));
});
