// COCOeval.summarize(): the statistics, the exact printed lines, Python's '{:0.3f}' rounding,
// and detectron2-style per-category AP.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateCocoJson } from '../../lib/eval/coco.ts';
import { format3, perCategoryAp } from '../../lib/eval/coco-summary.ts';

test("format3 is Python's '{:0.3f}': ties on the exact binary value round half to even", () => {
  // goldens: Python 3 '{:0.3f}'.format(v)
  assert.equal(format3(0.5625), '0.562'); // JavaScript's toFixed(3) gives 0.563
  assert.equal(format3(0.0625), '0.062');
  assert.equal(format3(0.1875), '0.188');
  assert.equal(format3(0.3125), '0.312');
  assert.equal(format3(-0.5625), '-0.562');
  assert.equal(format3(0.0005), '0.001'); // 0.0005 is above the tie in binary
  assert.equal(format3(0.9995), '1.000');
  assert.equal(format3(1 / 3), '0.333');
  assert.equal(format3(-1), '-1.000');
});

test('summary lines, bbox: widths and labels as pycocotools prints them, -1 where an area has no gt', () => {
  // image 1: gt (50x50 = 2500 px, medium) + TP 0.9; image 2: FP 0.95 (medium); image 3: gt, no detection
  // AP = 51 * 0.5 / 101 = 0.2525 (see cocoeval.test.ts); AR = 1/2 at 1, 10, 100 detections
  const gt = {
    images: [1, 2, 3].map((id) => ({ id, width: 100, height: 100 })),
    categories: [{ id: 1, name: 'a' }],
    annotations: [
      { id: 1, image_id: 1, category_id: 1, bbox: [0, 0, 50, 50], area: 2500, iscrowd: 0 },
      { id: 2, image_id: 3, category_id: 1, bbox: [0, 0, 50, 50], area: 2500, iscrowd: 0 },
    ],
  };
  const res = [
    { image_id: 1, category_id: 1, bbox: [0, 0, 50, 50], score: 0.9 },
    { image_id: 2, category_id: 1, bbox: [0, 0, 50, 50], score: 0.95 },
  ];
  const s = evaluateCocoJson(gt, res, 'bbox');
  assert.equal(
    s.lines.join('\n'),
    [
      ' Average Precision  (AP) @[ IoU=0.50:0.95 | area=   all | maxDets=100 ] = 0.252',
      ' Average Precision  (AP) @[ IoU=0.50      | area=   all | maxDets=100 ] = 0.252',
      ' Average Precision  (AP) @[ IoU=0.75      | area=   all | maxDets=100 ] = 0.252',
      ' Average Precision  (AP) @[ IoU=0.50:0.95 | area= small | maxDets=100 ] = -1.000',
      ' Average Precision  (AP) @[ IoU=0.50:0.95 | area=medium | maxDets=100 ] = 0.252',
      ' Average Precision  (AP) @[ IoU=0.50:0.95 | area= large | maxDets=100 ] = -1.000',
      ' Average Recall     (AR) @[ IoU=0.50:0.95 | area=   all | maxDets=  1 ] = 0.500',
      ' Average Recall     (AR) @[ IoU=0.50:0.95 | area=   all | maxDets= 10 ] = 0.500',
      ' Average Recall     (AR) @[ IoU=0.50:0.95 | area=   all | maxDets=100 ] = 0.500',
      ' Average Recall     (AR) @[ IoU=0.50:0.95 | area= small | maxDets=100 ] = -1.000',
      ' Average Recall     (AR) @[ IoU=0.50:0.95 | area=medium | maxDets=100 ] = 0.500',
      ' Average Recall     (AR) @[ IoU=0.50:0.95 | area= large | maxDets=100 ] = -1.000',
    ].join('\n'),
  );
  assert.deepEqual(s.stats, [25.5 / 101, 25.5 / 101, 25.5 / 101, -1, 25.5 / 101, -1, 0.5, 0.5, 0.5, -1, 0.5, -1]);
  assert.deepEqual(s.perCategory, { a: (25.5 / 101) * 100 });
  assert.deepEqual(perCategoryAp(s.eval, 'fraction'), { a: 25.5 / 101 }, 'in the unit of stats');
});

test('summary lines, keypoints: 10 lines at maxDets=20 over all / medium / large', () => {
  const kps = Array.from({ length: 17 }, (_, k) => [10 + k, 20 + k, 2]).flat();
  const gt = {
    images: [{ id: 1, width: 100, height: 100 }],
    categories: [{ id: 1, name: 'person' }],
    annotations: [{ id: 1, image_id: 1, category_id: 1, bbox: [0, 0, 60, 60], area: 20000, iscrowd: 0, num_keypoints: 17, keypoints: kps }],
  };
  const s = evaluateCocoJson(gt, [], 'keypoints');
  // no detections: precision 0, recall 0 where a gt exists (all, large); -1 for medium
  assert.deepEqual(s.stats, [0, 0, 0, -1, 0, 0, 0, 0, -1, 0]);
  assert.deepEqual(s.lines, [
    ' Average Precision  (AP) @[ IoU=0.50:0.95 | area=   all | maxDets= 20 ] = 0.000',
    ' Average Precision  (AP) @[ IoU=0.50      | area=   all | maxDets= 20 ] = 0.000',
    ' Average Precision  (AP) @[ IoU=0.75      | area=   all | maxDets= 20 ] = 0.000',
    ' Average Precision  (AP) @[ IoU=0.50:0.95 | area=medium | maxDets= 20 ] = -1.000',
    ' Average Precision  (AP) @[ IoU=0.50:0.95 | area= large | maxDets= 20 ] = 0.000',
    ' Average Recall     (AR) @[ IoU=0.50:0.95 | area=   all | maxDets= 20 ] = 0.000',
    ' Average Recall     (AR) @[ IoU=0.50      | area=   all | maxDets= 20 ] = 0.000',
    ' Average Recall     (AR) @[ IoU=0.75      | area=   all | maxDets= 20 ] = 0.000',
    ' Average Recall     (AR) @[ IoU=0.50:0.95 | area=medium | maxDets= 20 ] = -1.000',
    ' Average Recall     (AR) @[ IoU=0.50:0.95 | area= large | maxDets= 20 ] = 0.000',
  ]);
});

test('per-category AP keys are category names (a shared name gets its id), in category-id order', () => {
  const gt = {
    images: [{ id: 1, width: 100, height: 100 }],
    categories: [
      { id: 5, name: 'car' },
      { id: 2, name: 'car' },
      { id: 3, name: 'bus' },
    ],
    annotations: [{ id: 1, image_id: 1, category_id: 3, bbox: [0, 0, 60, 60], area: 3600, iscrowd: 0 }],
  };
  const s = evaluateCocoJson(gt, [], 'bbox');
  assert.deepEqual(s.perCategory, { 'car (2)': null, bus: 0, 'car (5)': null });
});
