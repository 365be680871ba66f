import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cocoJson, readCoco, writeCoco } from '../../lib/data/coco.ts';
import { area, encode, frPoly, toBbox } from '../../lib/data/masks/index.ts';
import { DataError, type Dataset } from '../../lib/data/types.ts';
import { tempDir } from '../helpers/tmp-dir.ts';

const shared = fileURLToPath(new URL('../../../shared/data/', import.meta.url));
const cocoMini = join(shared, 'coco-mini');
const ochuman = join(shared, 'ochuman-mini');
const noShared = existsSync(shared) ? false : `../shared/data not found: ${shared}`;

const withoutRoot = (ds: Dataset) => ({ ...ds, root: '' });

async function tmp(t: TestContext): Promise<string> {
  return tempDir(t, 'coco-test-');
}

test('coco-mini person_keypoints: images, annotations, keypoints, polygons', { skip: noShared }, async () => {
  const ds = await readCoco({ root: cocoMini, annotations: 'test_coco.json' });
  assert.equal(ds.format, 'coco');
  assert.equal(ds.split, 'test_coco');
  // Values read by hand from test_coco.json.
  assert.deepEqual(
    ds.samples.map((s) => [s.id, s.file, s.width, s.height, s.instances.map((i) => i.id)]),
    [
      ['785', '000000000785.jpg', 640, 425, [442619]],
      ['40083', '000000040083.jpg', 500, 333, [198196, 230195, 1202706]],
      ['196141', '000000196141.jpg', 640, 429, [460541, 488308, 508900, 1717641, 1724673]],
      ['197388', '000000197388.jpg', 640, 392, [437295, 467657, 531914, 533949, 543117]],
    ],
  );
  assert.equal(ds.categories.length, 1);
  const person = ds.categories[0];
  assert.equal(person.id, 1);
  assert.equal(person.name, 'person');
  assert.equal(person.supercategory, 'person');
  assert.equal(person.keypoints?.length, 17);
  assert.equal(person.keypoints?.[0], 'nose');
  assert.equal(person.skeleton?.length, 19);
  assert.deepEqual(person.skeleton?.[0], [16, 14]);
  assert.equal((ds.meta?.info as { year: number }).year, 2020);
  assert.equal((ds.meta?.licenses as unknown[]).length, 8);

  const byId = new Map(ds.samples.flatMap((s) => s.instances.map((i) => [i.id, { s, i }] as const)));
  const a = byId.get(442619)!.i;
  assert.deepEqual(a.bbox, [280.79, 44.73, 218.7, 346.68]);
  assert.equal(a.area, 27789.11055);
  assert.equal(a.numKeypoints, 17);
  assert.equal(a.keypoints?.length, 51);
  assert.equal(a.iscrowd, false);
  assert.equal(a.ignore, false);
  assert.equal(a.category, 'person');
  assert.equal(byId.get(1202706)!.i.numKeypoints, 0);
  assert.equal(byId.get(1717641)!.i.numKeypoints, 12);
  // 467657 is the one annotation with 4 polygons.
  assert.equal(((byId.get(467657)!.i.source as { segmentation: unknown[] }).segmentation).length, 4);
  assert.equal((ds.samples[0].source as { license: number }).license, 4);

  for (const { s, i } of byId.values()) {
    assert.equal(i.mask.h, s.height);
    assert.equal(i.mask.w, s.width);
    // The rasterized polygon covers about the polygon's area (COCO `area`), and its box is
    // the annotated box to within a pixel on each side.
    const px = area(i.mask);
    assert.ok(Math.abs(px - i.area) <= Math.max(8, 0.02 * i.area), `${i.id}: ${px} pixels vs area ${i.area}`);
    const b = toBbox(i.mask);
    for (let k = 0; k < 2; k++) assert.ok(Math.abs(b[k] - i.bbox[k]) <= 1, `${i.id}: box ${b} vs ${i.bbox}`);
    for (let k = 0; k < 2; k++) assert.ok(Math.abs(b[k] + b[k + 2] - (i.bbox[k] + i.bbox[k + 2])) <= 1.5, `${i.id}: box ${b} vs ${i.bbox}`);
  }
});

test('the detections file is not a dataset', { skip: noShared }, async () => {
  await assert.rejects(readCoco({ root: cocoMini, annotations: 'test_coco_det_AP_H_56.json' }), (e: unknown) => {
    assert.ok(e instanceof DataError);
    assert.equal(e.field, 'json');
    assert.match(e.message, /results/);
    return true;
  });
});

test('ochuman-mini: compressed RLE segmentation', { skip: noShared }, async () => {
  const ds = await readCoco({ root: ochuman, annotations: 'test_ochuman.json', split: 'val' });
  assert.equal(ds.split, 'val');
  assert.deepEqual(
    ds.samples.map((s) => [s.id, s.file, s.width, s.height, s.instances.map((i) => i.id)]),
    [
      ['1', '003799.jpg', 900, 864, [1]],
      ['2', '000817.jpg', 665, 1000, [2, 3]],
      ['3', '003896.jpg', 602, 900, [4, 5]],
    ],
  );
  // Golden pixel counts and mask boxes: the compressed counts strings decoded by a separate
  // Python decoder of the COCO string format (LEB128-like 5-bit groups, delta on counts[i-2]).
  const golden: Record<number, [number, number[]]> = {
    1: [91971, [257, 118, 464, 740]],
    2: [76283, [162, 184, 197, 677]],
    3: [77639, [153, 184, 214, 677]],
    4: [139284, [0, 47, 598, 849]],
    5: [77661, [92, 54, 509, 775]],
  };
  for (const s of ds.samples) {
    for (const i of s.instances) {
      assert.equal(area(i.mask), golden[i.id][0], `annotation ${i.id}`);
      assert.deepEqual(toBbox(i.mask), golden[i.id][1], `annotation ${i.id}`);
    }
  }
  // `area` and `bbox` are kept as the file states them (OCHuman's area is the box area).
  const first = ds.samples[0].instances[0];
  assert.equal(first.area, 356725);
  assert.deepEqual(first.bbox, [250, 112, 475, 751]);
  assert.equal(first.numKeypoints, 17);
});

for (const [name, root, annotations] of [
  ['coco-mini', cocoMini, 'test_coco.json'],
  ['ochuman-mini', ochuman, 'test_ochuman.json'],
] as const) {
  test(`${name}: write then read back gives the same dataset and the same JSON records`, { skip: noShared }, async (t) => {
    const ds = await readCoco({ root, annotations, split: 'val' });
    const out = await tmp(t);
    await writeCoco(ds, { root: out, annotations: 'ann/val.json' });
    const back = await readCoco({ root: out, annotations: 'ann/val.json', split: 'val' });
    assert.equal(back.root, out);
    assert.deepEqual(withoutRoot(back), withoutRoot(ds));
    const orig = JSON.parse(await readFile(join(root, annotations), 'utf8'));
    const written = JSON.parse(await readFile(join(out, 'ann/val.json'), 'utf8'));
    assert.deepEqual(written.annotations, orig.annotations);
    assert.deepEqual(written.images, orig.images);
    assert.deepEqual(written.info, orig.info);
    assert.deepEqual(written.licenses, orig.licenses);
  });
}

test('the writer replaces exactly the fields that changed', { skip: noShared }, async (t) => {
  const ds = await readCoco({ root: cocoMini, annotations: 'test_coco.json' });
  const s = ds.samples[1];
  const [a, b, c] = s.instances;
  // a: new mask -> compressed RLE replaces the polygon; b: new box; c: keypoints removed, face box added.
  const m = new Uint8Array(s.width * s.height);
  for (let y = 10; y < 20; y++) for (let x = 30; x < 45; x++) m[y * s.width + x] = 1;
  a.mask = encode(m, s.height, s.width);
  b.bbox = [1, 2, 3, 4];
  delete c.keypoints;
  delete c.numKeypoints;
  c.faceBox = [5, 6, 7, 8];
  const json = cocoJson(ds) as { annotations: Record<string, unknown>[] };
  const ja = json.annotations.find((r) => r.id === a.id)!;
  const jb = json.annotations.find((r) => r.id === b.id)!;
  const jc = json.annotations.find((r) => r.id === c.id)!;
  assert.equal(typeof (ja.segmentation as { counts: unknown }).counts, 'string');
  assert.deepEqual((ja.segmentation as { size: number[] }).size, [333, 500]);
  assert.equal(ja.area, 11025.219, 'area is kept: the instance still says so');
  assert.ok(Array.isArray(jb.segmentation), 'unchanged polygon kept');
  assert.deepEqual(jb.bbox, [1, 2, 3, 4]);
  assert.equal('keypoints' in jc, false);
  assert.equal('num_keypoints' in jc, false);
  assert.deepEqual(jc.face_box, [5, 6, 7, 8]);

  const out = await tmp(t);
  await writeCoco(ds, { root: out, annotations: 'a.json' });
  const back = await readCoco({ root: out, annotations: 'a.json', split: ds.split });
  const ba = back.samples[1].instances[0];
  assert.equal(area(ba.mask), 150);
  assert.deepEqual(toBbox(ba.mask), [30, 10, 15, 10]);
  assert.deepEqual(back.samples[1].instances[2].faceBox, [5, 6, 7, 8]);
  assert.equal(back.samples[1].instances[2].keypoints, undefined);
});

test('an in-memory dataset (no COCO records) is written as valid COCO and reads back', async (t) => {
  const h = 20;
  const w = 30;
  const poly = frPoly([2, 2, 12, 2, 12, 15, 2, 15], h, w);
  const crowd = frPoly([15, 1, 28, 1, 28, 10], h, w);
  const ds: Dataset = {
    format: 'cityscapes',
    root: '/nowhere',
    split: 'train',
    categories: [{ id: 24, name: 'person', supercategory: 'human' }],
    samples: [
      {
        id: 'city_000000_000001',
        file: 'leftImg8bit/train/city/city_000000_000001_leftImg8bit.png',
        width: w,
        height: h,
        instances: [
          { id: 24000, categoryId: 24, category: 'person', mask: poly, bbox: toBbox(poly), iscrowd: false, ignore: false, area: area(poly), faceBox: [3, 3, 4, 4] },
          { id: 24, categoryId: 24, category: 'person', mask: crowd, bbox: toBbox(crowd), iscrowd: true, ignore: true, area: area(crowd), source: { label: 'persongroup' } },
        ],
      },
      {
        id: 'city_000000_000002',
        file: 'leftImg8bit/train/city/city_000000_000002_leftImg8bit.png',
        width: w,
        height: h,
        instances: [{ id: 24000, categoryId: 24, category: 'person', mask: poly, bbox: toBbox(poly), iscrowd: false, ignore: false, area: area(poly) }],
      },
    ],
  };
  const json = cocoJson(ds, { images: 'leftImg8bit' }) as { images: Record<string, unknown>[]; annotations: Record<string, unknown>[] };
  // Non-integer sample ids -> image ids 1..N; repeated instance ids -> annotation ids 1..N.
  assert.deepEqual(json.images, [
    { id: 1, file_name: 'train/city/city_000000_000001_leftImg8bit.png', width: 30, height: 20 },
    { id: 2, file_name: 'train/city/city_000000_000002_leftImg8bit.png', width: 30, height: 20 },
  ]);
  assert.deepEqual(json.annotations.map((a) => [a.id, a.image_id, a.category_id, a.iscrowd, a.ignore]), [
    [1, 1, 24, 0, undefined],
    [2, 1, 24, 1, 1],
    [3, 2, 24, 0, undefined],
  ]);
  assert.equal('label' in json.annotations[1], false, 'a non-COCO source record is not written');
  const out = await tmp(t);
  await writeCoco(ds, { root: out, annotations: 'train.json', images: 'leftImg8bit' });
  const back = await readCoco({ root: out, annotations: 'train.json', images: 'leftImg8bit', split: 'train' });
  assert.deepEqual(back.samples.map((s) => s.file), ds.samples.map((s) => s.file));
  const got = back.samples[0].instances;
  assert.deepEqual(got[0].mask, poly);
  assert.deepEqual(got[1].mask, crowd);
  assert.equal(got[1].iscrowd, true);
  assert.equal(got[1].ignore, true);
  assert.deepEqual(got[0].faceBox, [3, 3, 4, 4]);
  assert.equal(got[0].area, area(poly));
});

test('the writer refuses to write into the source dataset root', async () => {
  const ds: Dataset = { format: 'coco', root: tmpdir(), split: 'x', categories: [], samples: [] };
  await assert.rejects(writeCoco(ds, { root: tmpdir(), annotations: 'a.json' }), /never written/);
});

/** A small COCO file with one problem per bad record, and good records around them. */
function badCoco(): unknown {
  const poly = [10, 10, 30, 10, 30, 30, 10, 30];
  const ann = (id: number, extra: Record<string, unknown> = {}) => ({ id, image_id: 1, category_id: 1, segmentation: [poly], bbox: [10, 10, 20, 20], area: 400, iscrowd: 0, ...extra });
  return {
    categories: [
      { id: 1, name: 'person', keypoints: ['nose', 'left_eye'] },
      { id: 1, name: 'again' },
    ],
    images: [
      { id: 1, file_name: 'a.jpg', width: 64, height: 48 },
      { id: 2, file_name: '../../etc/passwd', width: 64, height: 48 },
      { id: 1, file_name: 'b.jpg', width: 64, height: 48 },
      { id: 3, file_name: 'c.jpg', width: 0, height: 48 },
      { id: 4, file_name: '/abs/d.jpg', width: 64, height: 48 },
    ],
    annotations: [
      ann(10),
      ann(11, { category_id: 7 }),
      ann(10),
      ann(12, { segmentation: [[1, 1, 5, 5]] }),
      ann(13, { segmentation: { size: [40, 64], counts: 'PPYo1' } }),
      ann(14, { image_id: 99 }),
      ann(15, { bbox: [1, 2, 3] }),
      ann(16, { keypoints: [1, 2, 2] }),
      ann(17, { face_box: 'x' }),
      ann(18, { image_id: 2 }), // its image was already reported: no second report
      ann(19, { segmentation: { size: [48, 64], counts: [5, 5] } }),
      ann(20, { iscrowd: 2 }),
      { image_id: 1, category_id: 1 },
      ann(21, { keypoints: [1, 2, 2, 3, 4, 1], num_keypoints: 2, face_box: [1, 2, 3, 4] }),
    ],
  };
}

test('every problem is reported with file, record and field, and bad records are skipped', async (t) => {
  const dir = await tmp(t);
  const file = join(dir, 'bad.json');
  await writeFile(file, JSON.stringify(badCoco()));
  const problems: DataError[] = [];
  const ds = await readCoco({ root: dir, annotations: 'bad.json' }, { onProblem: (e) => problems.push(e) });
  const seen = problems.map((e) => [e.record, e.field]);
  assert.deepEqual(seen, [
    ['category id 1', 'id'],
    ['image ../../etc/passwd', 'file_name'],
    ['image b.jpg', 'id'],
    ['image c.jpg', 'width'],
    ['image /abs/d.jpg', 'file_name'],
    ['annotation id 11', 'category_id'],
    ['annotation id 10', 'id'],
    ['annotation id 12', 'segmentation[0]'],
    ['annotation id 13', 'segmentation.size'],
    ['annotation id 14', 'image_id'],
    ['annotation id 15', 'bbox'],
    ['annotation id 16', 'keypoints'],
    ['annotation id 17', 'face_box'],
    ['annotation id 19', 'segmentation.counts'],
    ['annotation id 20', 'iscrowd'],
    ['annotation #12', 'id'],
  ]);
  for (const e of problems) {
    assert.ok(e instanceof DataError);
    assert.equal(e.file, file);
  }
  assert.match(problems[1].message, /escapes the dataset root/);
  assert.match(problems[7].message, /2 points, needs at least 3/);
  assert.match(problems[8].message, /disagrees with the image size \[48, 64\]/);
  // The good records are read.
  assert.deepEqual(ds.samples.map((s) => s.id), ['1']);
  assert.deepEqual(ds.samples[0].instances.map((i) => i.id), [10, 21]);
  assert.deepEqual(ds.samples[0].instances[1].faceBox, [1, 2, 3, 4]);
  assert.equal(ds.samples[0].instances[1].numKeypoints, 2);

  // Without onProblem the first problem is thrown.
  await assert.rejects(readCoco({ root: dir, annotations: 'bad.json' }), (e: unknown) => e instanceof DataError && e.record === 'category id 1' && e.field === 'id');
});

test('missing or malformed annotation files are DataErrors', async (t) => {
  const dir = await tmp(t);
  await assert.rejects(readCoco({ root: dir, annotations: 'nope.json' }), (e: unknown) => e instanceof DataError && e.field === 'path' && /not found/.test(e.message));
  await writeFile(join(dir, 'broken.json'), '{"images": [');
  await assert.rejects(readCoco({ root: dir, annotations: 'broken.json' }), (e: unknown) => e instanceof DataError && e.field === 'json');
  await writeFile(join(dir, 'partial.json'), '{"images": []}');
  const problems: DataError[] = [];
  await readCoco({ root: dir, annotations: 'partial.json' }, { onProblem: (e) => problems.push(e) });
  assert.deepEqual(problems.map((e) => e.field), ['categories', 'annotations']);
});
