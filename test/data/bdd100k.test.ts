import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bddInsSegCategories, bitmaskName, readBdd100k, scalabelJson, writeBitmasks, writeScalabel } from '../../lib/data/bdd100k.ts';
import { decodeImage, writeImage, type Image } from '../../lib/data/image.ts';
import { area, decode, encode, toBbox } from '../../lib/data/masks/index.ts';
import { DataError, type Dataset } from '../../lib/data/types.ts';
import { tempDir } from '../helpers/tmp-dir.ts';

const shared = fileURLToPath(new URL('../../../shared/data/', import.meta.url));
const bdd = join(shared, 'bdd100k-labels');
const noShared = existsSync(bdd) ? false : `../shared/data not found: ${bdd}`;
const withoutRoot = (ds: Dataset) => ({ ...ds, root: '' });
const tmp = (t: TestContext) => tempDir(t, 'bdd100k-test-');
const summary = (ds: Dataset) => ds.samples.map((s) => [s.id, s.width, s.height, s.instances.map((i) => [i.id, i.category, i.area, i.bbox, i.iscrowd, i.ignore])]);

test('Scalabel poly2d with Bezier curves gives exactly bdd100k\'s own bitmask of the same frame', { skip: noShared }, async () => {
  // bitmask/insseg_bitmask.png is what bdd100k's to_mask (matplotlib) made of this annotation file.
  const ds = await readBdd100k({ root: bdd, split: 'val', annotations: 'scalabel/example_annotation.json' });
  const bm = await readBdd100k({ root: bdd, split: 'val', bitmasks: 'bitmask' });
  assert.equal(ds.format, 'bdd100k');
  assert.deepEqual(ds.categories.map((c) => c.name), ['pedestrian', 'rider', 'car', 'truck', 'bus', 'train', 'motorcycle', 'bicycle']);
  assert.equal(ds.samples.length, 1);
  const s = ds.samples[0];
  assert.equal(s.id, 'b1c81faa-3df17267-0000001.jpg');
  assert.equal(s.file, 'b1c81faa-3df17267-0000001.jpg');
  assert.deepEqual([s.width, s.height], [1280, 720]);
  // Pixel counts of the bitmask's instances 1..4 (R = 3, car), counted over the PNG's RGBA values.
  assert.deepEqual(summary(ds)[0][3], [
    [1, 'car', 107995, [199, 192, 403, 332], false, false],
    [2, 'car', 9683, [62, 278, 150, 84], false, false],
    [3, 'car', 1134, [171, 278, 55, 34], false, false],
    [4, 'car', 2442, [587, 285, 128, 42], false, false],
  ]);
  // Label ids repeat in this file ('a' twice); the instance ids follow the drawing order.
  assert.deepEqual(s.instances.map((i) => (i.source as { id: string }).id), ['a', 'b', 'a', 'c']);
  const b = bm.samples[0];
  assert.equal(b.id, 'insseg_bitmask.jpg');
  assert.deepEqual(b.extraFiles, { bitmask: 'bitmask/insseg_bitmask.png' });
  assert.deepEqual(b.instances.map((i) => (i.source as { attributes: { occluded: boolean } }).attributes.occluded), [false, true, false, true]);
  for (const [k, inst] of s.instances.entries()) assert.deepEqual(inst.mask, b.instances[k].mask, `instance ${inst.id}`);
});

test('Scalabel detection labels and name/ignore mappings', { skip: noShared }, async (t) => {
  const ds = await readBdd100k({ root: bdd, split: 'val', annotations: 'scalabel/example_ignore_annotation.json' });
  // box2d-only labels are not instances; the second frame has labels: null.
  assert.deepEqual(summary(ds), [
    ['00091078-875c1f73-0000166.jpg', 1280, 720, []],
    ['00091078-875c1f73-0000167.jpg', 1280, 720, []],
  ]);
  assert.equal((ds.samples[0].source as { labels: unknown[] }).labels.length, 2);

  // The same labels with a polygon: 'other person' -> pedestrian + ignore, 'person' -> pedestrian.
  const dir = await tmp(t);
  const frames = JSON.parse(await readFile(join(bdd, 'scalabel/example_ignore_annotation.json'), 'utf8'));
  for (const l of frames[0].labels) {
    const { x1, x2, y1, y2 } = l.box2d;
    l.poly2d = [{ vertices: [[x1, y1], [x2, y1], [x2, y2], [x1, y2]], types: 'LLLL', closed: true }];
  }
  frames[0].labels.push({ id: 'v', category: 'van', attributes: { crowd: true }, poly2d: [{ vertices: [[0, 0], [10, 0], [10, 10]], types: 'LLL', closed: true }] });
  await writeFile(join(dir, 'f.json'), JSON.stringify(frames));
  const got = await readBdd100k({ root: dir, split: 'val', annotations: 'f.json', images: 'images/100k/val' });
  assert.equal(got.samples[0].file, 'images/100k/val/00091078-875c1f73-0000166.jpg');
  assert.deepEqual(
    got.samples[0].instances.map((i) => [i.id, i.category, i.ignore, i.iscrowd]),
    [
      [1, 'pedestrian', true, false],
      [2, 'pedestrian', false, false],
      [3, 'car', false, true],
    ],
  );
  // A snapped box [1068, 363]-[1109, 466] fills 41 x 103 pixels.
  assert.equal(got.samples[0].instances[0].area, 41 * 103);
  assert.deepEqual(got.samples[0].instances[0].bbox, [1068, 363, 41, 103]);
});

test('Scalabel RLE (semantic classes) and bitmask samples load', { skip: noShared }, async () => {
  const gt = await readBdd100k({ root: bdd, split: 'val', annotations: 'rle/gt/0.json', categories: 'sem_seg' });
  assert.equal(gt.meta?.layout, 'object');
  assert.deepEqual(
    gt.samples[0].instances.map((i) => [i.id, i.category, i.categoryId, area(i.mask)]),
    [
      [1, 'road', 0, 181994],
      [2, 'sidewalk', 1, 11988],
      [3, 'building', 2, 365031],
      [4, 'fence', 4, 2031],
      [5, 'pole', 5, 8409],
      [6, 'traffic sign', 7, 738],
      [7, 'vegetation', 8, 25691],
      [8, 'sky', 10, 153093],
      [9, 'car', 13, 37160],
    ],
  );
  // (Pixel counts: the counts strings decoded by a separate Python decoder of the COCO string format.)
  // Without the semantic category set, 'road' is an unknown category.
  await assert.rejects(readBdd100k({ root: bdd, split: 'val', annotations: 'rle/gt/0.json' }), (e: unknown) => e instanceof DataError && e.record === 'frame 7d06fefd-f7be05a6.jpg label 0' && e.field === 'category');

  // ins_seg/gt: a 100 x 100 bitmask; pixel counts per (R, B*256+A) counted over the PNG.
  const ins = await readBdd100k({ root: bdd, split: 'val', bitmasks: 'ins_seg/gt' });
  assert.deepEqual(summary(ins), [
    [
      'a.jpg',
      100,
      100,
      [
        [1, 'pedestrian', 100, [0, 0, 10, 10], false, false],
        [2, 'rider', 200, [10, 20, 10, 20], false, false],
        [3, 'car', 200, [20, 20, 10, 20], false, false],
        [4, 'car', 400, [10, 40, 20, 20], false, false],
        [5, 'car', 200, [30, 40, 10, 20], false, false],
        [6, 'car', 100, [50, 60, 10, 10], false, false],
      ],
    ],
  ]);
  const pred = await readBdd100k({ root: bdd, split: 'val', bitmasks: 'ins_seg/pred' });
  assert.deepEqual(pred.samples[0].instances.map((i) => [i.id, i.area]), [[1, 100], [2, 180], [4, 140], [6, 240], [7, 100], [8, 40]]);
});

test('round trips: Scalabel JSON and bitmasks write and read back the same dataset', { skip: noShared }, async (t) => {
  for (const [file, categories] of [
    ['scalabel/example_annotation.json', undefined],
    ['scalabel/example_ignore_annotation.json', undefined],
    ['rle/gt/0.json', 'sem_seg'],
    ['rle/pred/0.json', 'sem_seg'],
  ] as const) {
    const ds = await readBdd100k({ root: bdd, split: 'val', annotations: file, categories });
    const out = await tmp(t);
    await writeScalabel(ds, { root: out, annotations: 'labels/val.json' });
    const back = await readBdd100k({ root: out, split: 'val', annotations: 'labels/val.json', categories });
    assert.deepEqual(withoutRoot(back), withoutRoot(ds), file);
    // Unchanged instances keep their records as the file had them.
    assert.deepEqual(JSON.parse(await readFile(join(out, 'labels/val.json'), 'utf8')), JSON.parse(await readFile(join(bdd, file), 'utf8')), file);
  }
  for (const folder of ['bitmask', 'ins_seg/gt', 'ins_seg/pred']) {
    const ds = await readBdd100k({ root: bdd, split: 'val', bitmasks: folder });
    const out = await tmp(t);
    await writeBitmasks(ds, { root: out, bitmasks: folder });
    const back = await readBdd100k({ root: out, split: 'val', bitmasks: folder });
    assert.deepEqual(withoutRoot(back), withoutRoot(ds), folder);
    const [a, b] = [await decodeImage(join(bdd, ds.samples[0].extraFiles!.bitmask)), await decodeImage(join(out, back.samples[0].extraFiles!.bitmask))];
    assert.deepEqual(b.data, a.data, folder);
  }
  // Scalabel -> bitmask gives bdd100k's bitmask of that frame, byte for byte (R, G, B, A).
  const ds = await readBdd100k({ root: bdd, split: 'val', annotations: 'scalabel/example_annotation.json' });
  const out = await tmp(t);
  await writeBitmasks(ds, { root: out, bitmasks: 'masks' });
  assert.equal(bitmaskName(ds.samples[0]), 'b1c81faa-3df17267-0000001.png');
  const mine = await decodeImage(join(out, 'masks', 'b1c81faa-3df17267-0000001.png'));
  const theirs = await decodeImage(join(bdd, 'bitmask/insseg_bitmask.png'));
  assert.deepEqual(mine.data, theirs.data);
  await assert.rejects(writeScalabel(ds, { root: bdd, annotations: 'x.json' }), /never written/);
});

test('the Scalabel writer replaces what changed and keeps occlusion right', { skip: noShared }, async (t) => {
  const ds = await readBdd100k({ root: bdd, split: 'val', annotations: 'scalabel/example_annotation.json' });
  const s = ds.samples[0];
  // Instance 2 (label 'b') gets a new mask and the crowd flag; instance 3 is removed.
  const m = new Uint8Array(1280 * 720);
  for (let y = 300; y < 310; y++) for (let x = 100; x < 120; x++) m[y * 1280 + x] = 1;
  s.instances[1].mask = encode(m, 720, 1280);
  s.instances[1].area = 200;
  s.instances[1].bbox = toBbox(s.instances[1].mask);
  s.instances[1].iscrowd = true;
  s.instances.splice(2, 1);
  const frames = scalabelJson(ds) as { labels: { id: string; poly2d?: unknown; rle?: unknown; attributes: { crowd: boolean } }[] }[];
  const labels = frames[0].labels;
  assert.deepEqual(labels.map((l) => l.id), ['a', 'b', 'c']);
  // 'c' is drawn last, so nothing changed occludes it: its polygons stay. 'b' has a new mask.
  // 'a' was partly covered by the removed and the changed labels: kept as polygons it would read
  // back larger, so it is written as RLE too.
  assert.ok(labels[2].poly2d && !labels[2].rle, 'unchanged polygon kept');
  assert.ok(labels[1].rle && !labels[1].poly2d, 'changed mask written as RLE');
  assert.ok(labels[0].rle && !labels[0].poly2d, 'polygon whose occluders changed written as RLE');
  assert.equal(labels[1].attributes.crowd, true);
  const out = await tmp(t);
  await writeScalabel(ds, { root: out, annotations: 'a.json' });
  const back = await readBdd100k({ root: out, split: 'val', annotations: 'a.json' });
  // Reading back gives the edited masks (ids follow the new order: poly2d labels are drawn, RLE ones kept).
  const byLabel = new Map(back.samples[0].instances.map((i) => [(i.source as { id: string }).id, i]));
  assert.deepEqual(byLabel.get('b')!.mask, s.instances[1].mask);
  assert.equal(byLabel.get('b')!.iscrowd, true);
  assert.deepEqual(byLabel.get('a')!.mask, s.instances[0].mask);
  assert.deepEqual(byLabel.get('c')!.mask, s.instances[2].mask);
});

test('an in-memory dataset of another format is written as Scalabel RLE and bitmasks', async (t) => {
  const h = 20;
  const w = 30;
  const m = new Uint8Array(h * w);
  for (let y = 2; y < 12; y++) for (let x = 3; x < 9; x++) m[y * w + x] = 1;
  const mask = encode(m, h, w);
  const ds: Dataset = {
    format: 'coco',
    root: '/nowhere',
    split: 'val',
    categories: [{ id: 1, name: 'person' }],
    samples: [{ id: '7', file: 'img/x.jpg', width: w, height: h, instances: [{ id: 900, categoryId: 1, category: 'person', mask, bbox: toBbox(mask), iscrowd: false, ignore: true, area: area(mask) }] }],
  };
  const out = await tmp(t);
  await writeScalabel(ds, { root: out, annotations: 'l.json', images: 'img' });
  const json = JSON.parse(await readFile(join(out, 'l.json'), 'utf8'));
  assert.deepEqual(json[0].name, 'x.jpg');
  assert.deepEqual(json[0].size, { width: 30, height: 20 });
  assert.deepEqual(json[0].labels[0].category, 'pedestrian');
  assert.deepEqual(json[0].labels[0].attributes, { crowd: false, ignored: true });
  const back = await readBdd100k({ root: out, split: 'val', annotations: 'l.json', images: 'img' });
  assert.deepEqual(back.samples[0].instances.map((i) => [i.id, i.category, i.area, i.ignore]), [[1, 'pedestrian', 60, true]]);
  assert.deepEqual(back.samples[0].instances[0].mask, mask);
  await writeBitmasks(ds, { root: out, bitmasks: 'bm' });
  const png = await decodeImage(join(out, 'bm/x.png'));
  assert.deepEqual(Array.from(png.data.subarray(4 * (2 * w + 3), 4 * (2 * w + 3) + 4)), [1, 1, 900 >> 8, 900 & 255]);
  const bm = await readBdd100k({ root: out, split: 'val', bitmasks: 'bm' });
  assert.deepEqual(bm.samples[0].instances.map((i) => [i.id, i.category, i.area, i.ignore]), [[900, 'pedestrian', 60, true]]);
  assert.equal(bddInsSegCategories.length, 8);
  const car: Dataset = { ...ds, samples: [{ ...ds.samples[0], instances: [{ ...ds.samples[0].instances[0], category: 'dragon' }] }] };
  await assert.rejects(writeBitmasks(car, { root: out, bitmasks: 'bm2' }), /'dragon' has no BDD100K/);
});

test('every Scalabel problem names file, record and field; bad labels are skipped', async (t) => {
  const dir = await tmp(t);
  const tri = [[10, 10], [40, 10], [25, 30]];
  const poly = (vertices: unknown, types?: unknown) => [{ vertices, types: types ?? 'L'.repeat((vertices as unknown[]).length), closed: true }];
  const frames = [
    {
      name: 'a.jpg',
      size: { width: 64, height: 48 },
      labels: [
        { id: '1', category: 'person', poly2d: poly(tri) },
        { id: '2', category: 'dragon', poly2d: poly(tri) },
        { id: '3', category: 'car', poly2d: poly([[1, 1], [5, 5]]) },
        { id: '4', category: 'car', poly2d: poly(tri, 'LL') },
        { id: '5', category: 'car', poly2d: poly(tri, 'LLC') },
        { id: '6', category: 'car', rle: { counts: 'PPYo1', size: [720, 1280] } },
        { id: '7', category: 'car', rle: { counts: [5, 5], size: [48, 64] } },
        { id: '8', category: 'car', poly2d: poly([[100, 100], [120, 100], [110, 120]]) },
        { id: '9', category: 'other vehicle', box2d: { x1: 0, y1: 0, x2: 4, y2: 4 } },
        { id: '10', category: 'bus', poly2d: poly([[0, 0], [10, 0], [0, 10]]) },
      ],
    },
    { name: 'a.jpg', labels: [] },
    { name: '../../etc/passwd', labels: [] },
    { name: 'b.jpg', size: { width: 0, height: 5 } },
    { name: 'c.jpg', labels: 'none' },
    { labels: [] },
  ];
  await writeFile(join(dir, 'bad.json'), JSON.stringify({ frames }));
  const file = join(dir, 'bad.json');
  const problems: DataError[] = [];
  const ds = await readBdd100k({ root: dir, split: 'val', annotations: 'bad.json' }, { onProblem: (e) => problems.push(e) });
  assert.deepEqual(
    problems.map((e) => [e.record, e.field]),
    [
      ['frame a.jpg label 2', 'category'],
      ['frame a.jpg label 3', 'poly2d[0].vertices'],
      ['frame a.jpg label 4', 'poly2d[0].types'],
      ['frame a.jpg label 5', 'poly2d[0].types'],
      ['frame a.jpg label 6', 'rle.size'],
      ['frame a.jpg label 7', 'rle'],
      ['frame a.jpg label 8', 'poly2d'],
      ['frame a.jpg', 'name'],
      ['frame ../../etc/passwd', 'name'],
      ['frame b.jpg', 'size'],
      ['frame c.jpg', 'labels'],
      ['frame #5', 'name'],
    ],
  );
  for (const e of problems) assert.equal(e.file, file);
  assert.match(problems[0].message, /unknown category 'dragon'/);
  assert.match(problems[1].message, /2 points, needs at least 3/);
  assert.match(problems[4].message, /disagrees with the image size \[48, 64\]/);
  assert.match(problems[6].message, /covers no pixel/);
  assert.match(problems[7].message, /duplicate frame name/);
  assert.match(problems[8].message, /escapes the dataset root/);
  assert.deepEqual(ds.samples.map((s) => s.id), ['a.jpg']);
  assert.deepEqual(ds.samples[0].instances.map((i) => [i.id, i.category]), [[1, 'pedestrian'], [2, 'bus']]);
  await assert.rejects(readBdd100k({ root: dir, split: 'val', annotations: 'bad.json' }), (e: unknown) => e instanceof DataError && e.record === 'frame a.jpg label 2');
  await assert.rejects(readBdd100k({ root: dir, split: 'val' }), (e: unknown) => e instanceof DataError && e.field === 'annotations');
  await assert.rejects(readBdd100k({ root: dir, split: 'val', annotations: 'missing.json' }), (e: unknown) => e instanceof DataError && /not found/.test(e.message));
});

test('every bitmask problem names file, record and field', async (t) => {
  const dir = await tmp(t);
  await mkdir(join(dir, 'bm'));
  const w = 8;
  const h = 6;
  const rgba = (): Image => ({ width: w, height: h, channels: 4, data: new Uint8Array(w * h * 4) });
  const put = (img: Image, x: number, y: number, px: number[]) => img.data.set(px, 4 * (y * w + x));
  await writeImage(join(dir, 'bm/a.png'), { width: w, height: h, channels: 3, data: new Uint8Array(w * h * 3) });
  const b = rgba();
  put(b, 0, 0, [1, 0, 0, 1]);
  put(b, 1, 0, [2, 0, 0, 1]); // instance 1 with two categories
  put(b, 2, 0, [9, 0, 0, 2]); // category 9 does not exist
  put(b, 3, 0, [3, 2, 0, 3]); // a good crowd car
  put(b, 4, 0, [3, 0, 0, 0]); // category without instance
  await writeImage(join(dir, 'bm/b.png'), b);
  await writeFile(join(dir, 'bm/c.png'), 'not a png');
  const problems: DataError[] = [];
  const ds = await readBdd100k({ root: dir, split: 'val', bitmasks: 'bm' }, { onProblem: (e) => problems.push(e) });
  assert.deepEqual(
    problems.map((e) => [e.file.slice(dir.length), e.record, e.field]),
    [
      ['/bm/a.png', 'bitmask a.png', 'bitmask'],
      ['/bm/b.png', 'bitmask b.png instance 1', 'bitmask'],
      ['/bm/b.png', 'bitmask b.png', 'bitmask'],
      ['/bm/b.png', 'bitmask b.png instance 2', 'category'],
      ['/bm/c.png', 'bitmask c.png', 'bitmask'],
    ],
  );
  assert.deepEqual(ds.samples.map((s) => s.id), ['b.jpg']);
  assert.deepEqual(ds.samples[0].instances.map((i) => [i.id, i.category, i.iscrowd, area(i.mask)]), [[3, 'car', true, 1]]);
  assert.equal(decode(ds.samples[0].instances[0].mask)[3], 1);
  await assert.rejects(readBdd100k({ root: dir, split: 'val', bitmasks: 'nope' }), (e: unknown) => e instanceof DataError && e.field === 'bitmasks');
});
