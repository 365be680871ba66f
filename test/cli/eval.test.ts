// `anon-impact eval coco` through bin/anon-impact.js: one JSON object with --json, the
// pycocotools summary lines without it, and clear errors for bad input.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../helpers/tmp-dir.ts';

const BIN = fileURLToPath(new URL('../../bin/anon-impact.js', import.meta.url));
const cli = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });

async function fixture(t: TestContext) {
  const dir = await tempDir(t, 'eval-coco-cli-');
  // image 1: gt + TP 0.9; image 2: FP 0.95; image 3: gt without detection -> AP 51 * 0.5 / 101 (see test/eval/cocoeval.test.ts)
  const gt = {
    images: [1, 2, 3].map((id) => ({ id, width: 100, height: 100 })),
    categories: [
      { id: 1, name: 'pedestrian' },
      { id: 2, name: 'van' },
    ],
    annotations: [
      { id: 1, image_id: 1, category_id: 1, bbox: [0, 0, 50, 50], area: 2500, iscrowd: 0 },
      { id: 2, image_id: 3, category_id: 1, bbox: [0, 0, 50, 50], area: 2500, iscrowd: 0 },
    ],
  };
  const res = [
    { image_id: 1, category_id: 1, bbox: [0, 0, 50, 50], score: 0.9 },
    { image_id: 2, category_id: 1, bbox: [0, 0, 50, 50], score: 0.95 },
  ];
  await writeFile(join(dir, 'gt.json'), JSON.stringify(gt));
  await writeFile(join(dir, 'res.json'), JSON.stringify(res));
  await writeFile(join(dir, 'bad.json'), JSON.stringify([...res, { image_id: 4, category_id: 1, bbox: [0, 0, 1, 1], score: 0.1 }]));
  await writeFile(join(dir, 'nan.json'), '[{"image_id": 1, "category_id": 1, "bbox": [0, 0, 50, 50], "score": NaN}]');
  return dir;
}

test('eval coco --json prints exactly one JSON object: iouType, 12 stats and per-category AP, all fractions (null without gt)', async (t) => {
  const dir = await fixture(t);
  const r = cli('eval', 'coco', '--gt', join(dir, 'gt.json'), '--results', join(dir, 'res.json'), '--iou-type', 'bbox', '--json');
  assert.equal(r.status, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.deepEqual(Object.keys(j), ['iouType', 'stats', 'perCategoryAP']);
  assert.equal(j.iouType, 'bbox');
  assert.deepEqual(j.stats, [25.5 / 101, 25.5 / 101, 25.5 / 101, -1, 25.5 / 101, -1, 0.5, 0.5, 0.5, -1, 0.5, -1]);
  // one category with gt: its AP is stats[0], in the same unit
  assert.deepEqual(j.perCategoryAP, { pedestrian: 25.5 / 101, van: null });
  const help = cli('eval', 'coco', '--help');
  assert.match(help.stdout, /--json .*fractions/s);
});

test('eval coco without --json prints the summarize() lines, then the per-category AP table (percent, as detectron2 prints it)', async (t) => {
  const dir = await fixture(t);
  const r = cli('eval', 'coco', '--gt', join(dir, 'gt.json'), '--results', join(dir, 'res.json'), '--iou-type', 'bbox');
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trimEnd().split('\n');
  assert.equal(lines.length, 12 + 5);
  assert.equal(lines[0], ' Average Precision  (AP) @[ IoU=0.50:0.95 | area=   all | maxDets=100 ] = 0.252');
  assert.equal(lines[3], ' Average Precision  (AP) @[ IoU=0.50:0.95 | area= small | maxDets=100 ] = -1.000');
  assert.equal(lines[6], ' Average Recall     (AR) @[ IoU=0.50:0.95 | area=   all | maxDets=  1 ] = 0.500');
  assert.deepEqual(lines.slice(12), [
    '',
    'Per-category bbox AP:',
    '| category   | AP     | category   | AP   |',
    '|:-----------|:-------|:-----------|:-----|',
    '| pedestrian | 25.248 | van        | nan  |',
  ]);
});

test('eval coco: bad results and bad options fail with a message naming file, record and field', async (t) => {
  const dir = await fixture(t);
  let r = cli('eval', 'coco', '--gt', join(dir, 'gt.json'), '--results', join(dir, 'bad.json'), '--iou-type', 'bbox', '--json');
  assert.equal(r.status, 1);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /bad\.json: results\[2\]: image_id: 4 is not an image of the ground truth/);
  r = cli('eval', 'coco', '--gt', join(dir, 'gt.json'), '--results', join(dir, 'nan.json'), '--iou-type', 'bbox');
  assert.equal(r.status, 1);
  assert.match(r.stderr, /nan\.json: results\[0\]: score: expected a finite number, got NaN/);
  r = cli('eval', 'coco', '--gt', join(dir, 'gt.json'), '--results', join(dir, 'res.json'), '--iou-type', 'mask');
  assert.equal(r.status, 1);
  assert.match(r.stderr, /--iou-type must be one of bbox, segm, keypoints/);
  r = cli('eval', 'coco', '--gt', join(dir, 'gt.json'), '--iou-type', 'bbox');
  assert.equal(r.status, 1);
  assert.match(r.stderr, /--results is required/);
  r = cli('eval', 'lvis');
  assert.equal(r.status, 2);
  assert.match(r.stderr, /unknown evaluation 'lvis'/);
});
