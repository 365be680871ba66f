import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readDataset, writeDataset, type DatasetSpec } from '../../lib/data/dataset.ts';
import { DataError, type Dataset } from '../../lib/data/types.ts';
import { tempDir } from '../helpers/tmp-dir.ts';

const shared = fileURLToPath(new URL('../../../shared/data/', import.meta.url));
const noShared = existsSync(shared) ? false : `../shared/data not found: ${shared}`;
const withoutRoot = (ds: Dataset) => ({ ...ds, root: '' });
const tmp = (t: TestContext) => tempDir(t, 'dataset-test-');
const count = (ds: Dataset) => ds.samples.reduce((n, s) => n + s.instances.length, 0);

const samples: [string, DatasetSpec, number, number][] = [
  ['coco-mini', { format: 'coco', root: join(shared, 'coco-mini'), annotations: 'test_coco.json', split: 'val' }, 4, 14],
  ['ochuman-mini', { format: 'coco', root: join(shared, 'ochuman-mini'), annotations: 'test_ochuman.json', split: 'val' }, 3, 5],
  ['cityscapes-mini', { format: 'cityscapes', root: join(shared, 'cityscapes-mini'), split: 'val' }, 1, 7],
  ['bdd100k scalabel', { format: 'bdd100k', root: join(shared, 'bdd100k-labels'), split: 'val', annotations: 'scalabel/example_annotation.json' }, 1, 4],
  ['bdd100k scalabel boxes', { format: 'bdd100k', root: join(shared, 'bdd100k-labels'), split: 'val', annotations: 'scalabel/example_ignore_annotation.json' }, 2, 0],
  ['bdd100k bitmask', { format: 'bdd100k', root: join(shared, 'bdd100k-labels'), split: 'val', bitmasks: 'bitmask' }, 1, 4],
  ['bdd100k rle', { format: 'bdd100k', root: join(shared, 'bdd100k-labels'), split: 'val', annotations: 'rle/gt/0.json', categories: 'sem_seg' }, 1, 9],
  ['bdd100k ins_seg gt', { format: 'bdd100k', root: join(shared, 'bdd100k-labels'), split: 'val', bitmasks: 'ins_seg/gt' }, 1, 6],
  ['bdd100k ins_seg pred', { format: 'bdd100k', root: join(shared, 'bdd100k-labels'), split: 'val', bitmasks: 'ins_seg/pred' }, 1, 6],
];

for (const [name, spec, nSamples, nInstances] of samples) {
  test(`readDataset: ${name} loads without a single problem`, { skip: noShared }, async () => {
    const problems: DataError[] = [];
    const ds = await readDataset(spec, { onProblem: (e) => problems.push(e) });
    assert.deepEqual(problems, []);
    assert.equal(ds.format, spec.format);
    assert.equal(ds.split, 'val');
    assert.equal(ds.samples.length, nSamples);
    assert.equal(count(ds), nInstances);
    for (const s of ds.samples) {
      for (const i of s.instances) {
        assert.equal(i.mask.h, s.height);
        assert.equal(i.mask.w, s.width);
        assert.ok(ds.categories.some((c) => c.id === i.categoryId && c.name === i.category));
      }
    }
  });
}

test('writeDataset then readDataset gives the same dataset, for every format', { skip: noShared }, async (t) => {
  const coco = await readDataset(samples[0][1]);
  const out1 = await tmp(t);
  await writeDataset(coco, { format: 'coco', root: out1, annotations: 'a.json' });
  assert.deepEqual(withoutRoot(await readDataset({ format: 'coco', root: out1, annotations: 'a.json', split: 'val' })), withoutRoot(coco));

  const city = await readDataset(samples[2][1]);
  const out2 = await tmp(t);
  const img = city.samples[0].file;
  await mkdir(dirname(join(out2, img)), { recursive: true });
  await copyFile(join(shared, 'cityscapes-mini', img), join(out2, img));
  await writeDataset(city, { format: 'cityscapes', root: out2 });
  assert.deepEqual(withoutRoot(await readDataset({ format: 'cityscapes', root: out2, split: 'val' })), withoutRoot(city));

  const bdd = await readDataset(samples[3][1]);
  const out3 = await tmp(t);
  await writeDataset(bdd, { format: 'bdd100k', root: out3, annotations: 'labels.json', bitmasks: 'masks' });
  assert.deepEqual(withoutRoot(await readDataset({ format: 'bdd100k', root: out3, split: 'val', annotations: 'labels.json' })), withoutRoot(bdd));
  const fromMasks = await readDataset({ format: 'bdd100k', root: out3, split: 'val', bitmasks: 'masks' });
  assert.deepEqual(fromMasks.samples[0].instances.map((i) => i.mask), bdd.samples[0].instances.map((i) => i.mask));
  await assert.rejects(writeDataset(bdd, { format: 'bdd100k', root: out3 }), /annotations.*bitmasks/);
});

test('Cityscapes instances written as COCO and as BDD100K keep their masks', { skip: noShared }, async (t) => {
  const city = await readDataset(samples[2][1]);
  const out = await tmp(t);
  await writeDataset(city, { format: 'coco', root: out, annotations: 'val.json' });
  const coco = await readDataset({ format: 'coco', root: out, annotations: 'val.json', split: 'val' });
  assert.equal(coco.samples[0].file, city.samples[0].file);
  assert.deepEqual(coco.samples[0].instances.map((i) => [i.category, i.mask, i.bbox, i.area]), city.samples[0].instances.map((i) => [i.category, i.mask, i.bbox, i.area]));
  await writeDataset(city, { format: 'bdd100k', root: out, annotations: 'bdd.json' });
  const bdd = await readDataset({ format: 'bdd100k', root: out, split: 'val', annotations: 'bdd.json' });
  assert.deepEqual(bdd.samples[0].instances.map((i) => i.category), ['pedestrian', 'pedestrian', 'pedestrian', 'pedestrian', 'car', 'car', 'car']);
  assert.deepEqual(bdd.samples[0].instances.map((i) => i.mask), city.samples[0].instances.map((i) => i.mask));
  assert.deepEqual([bdd.samples[0].width, bdd.samples[0].height], [256, 128]);
});

test('problems: all of them with onProblem, the first one thrown without', async (t) => {
  const dir = await tmp(t);
  await writeFile(
    join(dir, 'ann.json'),
    JSON.stringify({
      categories: [{ id: 1, name: 'person' }],
      images: [{ id: 1, file_name: '../outside.jpg', width: 10, height: 10 }, { id: 2, file_name: 'ok.jpg', width: 10, height: 10 }],
      annotations: [
        { id: 1, image_id: 2, category_id: 5, segmentation: [[0, 0, 5, 0, 5, 5]] },
        { id: 2, image_id: 3, category_id: 1, segmentation: [[0, 0, 5, 0, 5, 5]] },
        { id: 3, image_id: 2, category_id: 1, segmentation: [[0, 0, 5, 0, 5, 5]] },
      ],
    }),
  );
  const spec: DatasetSpec = { format: 'coco', root: dir, annotations: 'ann.json', split: 'val' };
  const problems: DataError[] = [];
  const ds = await readDataset(spec, { onProblem: (e) => problems.push(e) });
  assert.deepEqual(problems.map((e) => [e.record, e.field]), [
    ['image ../outside.jpg', 'file_name'],
    ['annotation id 1', 'category_id'],
    ['annotation id 2', 'image_id'],
  ]);
  assert.deepEqual(ds.samples[0].instances.map((i) => i.id), [3]);
  await assert.rejects(readDataset(spec), (e: unknown) => e instanceof DataError && e.record === 'image ../outside.jpg');

  const unknown = { format: 'kitti', root: dir, split: 'val' } as unknown as DatasetSpec;
  await assert.rejects(readDataset(unknown), (e: unknown) => e instanceof DataError && e.field === 'format');
  const seen: DataError[] = [];
  await readDataset(unknown, { onProblem: (e) => seen.push(e) });
  assert.equal(seen.length, 1);
});
